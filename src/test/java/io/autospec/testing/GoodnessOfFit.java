package io.autospec.testing;

import java.util.Arrays;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Statistical checks with a stated false-failure rate, in the repeat-and-count style of Apache Commons
 * RNG: a check runs R independent replicates of a test at level alpha and fails when more than F of
 * them reject. Under the null hypothesis (the sampler is exact) the chance of a failure is
 * P[Binomial(R, alpha) &gt; F], which {@link #falseFailureRate} reports. Seeds are fixed, so a passing
 * check passes deterministically; the rate says how often a random seed would fail.
 */
public final class GoodnessOfFit {
    /** Cells with a smaller expected count are pooled into one cell. */
    public static final double MIN_EXPECTED = 5.0;

    private GoodnessOfFit() {}

    /**
     * Pearson chi-square p-value of observed counts against exact probabilities. Any count in a cell
     * of probability zero gives p = 0 (an impossible outcome was sampled). Cells with expected count
     * below {@link #MIN_EXPECTED} are pooled.
     */
    public static double chiSquarePValue(double[] probabilities, long[] counts) {
        if (probabilities.length != counts.length) throw new IllegalArgumentException("length mismatch");
        long total = Arrays.stream(counts).sum();
        double pooledExpected = 0, stat = 0;
        long pooledObserved = 0;
        int cells = 0;
        for (int i = 0; i < counts.length; i++) {
            double p = probabilities[i];
            if (p == 0) {
                if (counts[i] > 0) return 0.0;
                continue;
            }
            double e = p * total;
            if (e < MIN_EXPECTED) {
                pooledExpected += e;
                pooledObserved += counts[i];
                continue;
            }
            double dlt = counts[i] - e;
            stat += dlt * dlt / e;
            cells++;
        }
        if (pooledExpected > 0) {
            double dlt = pooledObserved - pooledExpected;
            stat += dlt * dlt / pooledExpected;
            cells++;
        }
        if (cells < 2) return 1.0;
        return 1.0 - new ChiSquaredDistribution(cells - 1).cumulativeProbability(stat);
    }

    /** Chi-square p-value of samples (keys) against an exact law given as key -&gt; probability. */
    public static <K> double chiSquarePValue(Map<K, Double> law, Iterable<K> samples) {
        Map<K, Integer> index = new java.util.HashMap<>();
        double[] p = new double[law.size() + 1];
        int i = 0;
        for (Map.Entry<K, Double> e : law.entrySet()) {
            index.put(e.getKey(), i);
            p[i++] = e.getValue();
        }
        long[] c = new long[p.length]; // the last cell collects samples outside the support
        for (K k : samples) {
            Integer at = index.get(k);
            c[at == null ? p.length - 1 : at]++;
        }
        return chiSquarePValue(p, c);
    }

    /** Outcome of a repeated check. */
    public record Outcome(int replicates, int rejections, int allowed, double alpha, double[] pValues) {
        public boolean passed() {
            return rejections <= allowed;
        }

        public double falseFailureRate() {
            return GoodnessOfFit.falseFailureRate(replicates, alpha, allowed);
        }

        @Override
        public String toString() {
            return rejections + " of " + replicates + " replicates rejected at alpha=" + alpha + " (allowed " + allowed
                    + ", false-failure rate " + String.format("%.2g", falseFailureRate()) + "); p-values "
                    + Arrays.toString(Arrays.stream(pValues).map(v -> Math.round(v * 1e4) / 1e4).toArray());
        }
    }

    /** Runs {@code replicates} independent tests (replicate index -&gt; p-value) and counts rejections. */
    public static Outcome repeat(int replicates, double alpha, int allowed, IntToDoubleFunction pValueOfReplicate) {
        double[] ps = new double[replicates];
        int rejected = 0;
        for (int r = 0; r < replicates; r++) {
            ps[r] = pValueOfReplicate.applyAsDouble(r);
            if (ps[r] < alpha) rejected++;
        }
        return new Outcome(replicates, rejected, allowed, alpha, ps);
    }

    /** P[Binomial(replicates, alpha) &gt; allowed]: the chance an exact sampler fails the check. */
    public static double falseFailureRate(int replicates, double alpha, int allowed) {
        return 1.0 - new BinomialDistribution(replicates, alpha).cumulativeProbability(allowed);
    }

    /** The standard check used across the suite: 5 replicates at alpha = 0.01, fail if 3 or more reject.
     * False-failure rate 9.9e-6 per check. */
    public static Outcome standard(IntToDoubleFunction pValueOfReplicate) {
        return repeat(5, 0.01, 2, pValueOfReplicate);
    }
}
