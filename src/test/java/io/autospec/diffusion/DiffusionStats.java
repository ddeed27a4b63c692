package io.autospec.diffusion;

import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * p-values for diffusion samples, one per replicate, to be fed to
 * {@link io.autospec.testing.GoodnessOfFit#repeat}: exact Gaussian moments of the discretised chain,
 * and two-sample Kolmogorov-Smirnov tests on 1-D projections. Several tests inside one replicate
 * are combined by Bonferroni (p = min(1, m * min p_i)), so a replicate rejects at level alpha with
 * probability at most alpha under the null.
 */
public final class DiffusionStats {
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

    private DiffusionStats() {}

    /**
     * Per-coordinate mean and common variance of the output X_T / T of Euler-Maruyama on
     * {@code schedule} for the target N(m, s2 I), whose denoiser f(t, x) = (m + s2 x) / (1 + t s2) is
     * affine: with a_i = s2 / (1 + t_i s2), b_i = m / (1 + t_i s2),
     * mu_{i+1} = (1 + a_i dt_i) mu_i + b_i dt_i and v_{i+1} = (1 + a_i dt_i)^2 v_i + dt_i from
     * mu_0 = 0, v_0 = 0. Returns {mean_1, ..., mean_d, variance}.
     */
    public static double[] gaussianChainMoments(Schedule schedule, double[] m, double s2) {
        int d = m.length;
        double[] mu = new double[d];
        double v = 0;
        for (int i = 0; i < schedule.steps(); i++) {
            double t = schedule.time(i), dt = schedule.dt(i);
            double a = s2 / (1 + t * s2);
            double g = 1 + a * dt;
            for (int c = 0; c < d; c++) mu[c] = g * mu[c] + m[c] / (1 + t * s2) * dt;
            v = g * g * v + dt;
        }
        double T = schedule.horizon();
        double[] out = new double[d + 1];
        for (int c = 0; c < d; c++) out[c] = mu[c] / T;
        out[d] = v / (T * T);
        return out;
    }

    /**
     * Bonferroni-combined p-value of 2d tests on samples that should be i.i.d. N(mean_c, variance)
     * per coordinate: a two-sided z-test of each coordinate's sample mean and a two-sided chi-square
     * test of each coordinate's sample variance ((M-1) S^2 / variance ~ chi2(M-1)).
     */
    public static double gaussianMomentsPValue(List<double[]> samples, double[] moments) {
        int d = moments.length - 1, n = samples.size();
        double var = moments[d];
        double minP = 1;
        ChiSquaredDistribution chi = new ChiSquaredDistribution(n - 1);
        for (int c = 0; c < d; c++) {
            double sum = 0;
            for (double[] x : samples) sum += x[c];
            double mean = sum / n;
            double ss = 0;
            for (double[] x : samples) ss += (x[c] - mean) * (x[c] - mean);
            double z = (mean - moments[c]) / Math.sqrt(var / n);
            double pMean = 2 * NORMAL.cumulativeProbability(-Math.abs(z));
            double q = chi.cumulativeProbability(ss / var);
            double pVar = 2 * Math.min(q, 1 - q);
            minP = Math.min(minP, Math.min(pMean, pVar));
        }
        return Math.min(1, 2 * d * minP);
    }

    /** {@code count} fixed unit directions in R^d: the d coordinate axes, then random ones (seeded). */
    public static double[][] directions(int d, int count, long seed) {
        Random rnd = new Random(seed);
        double[][] dirs = new double[count][d];
        for (int j = 0; j < count; j++) {
            if (j < d) {
                dirs[j][j] = 1;
                continue;
            }
            double n = 0;
            for (int c = 0; c < d; c++) {
                dirs[j][c] = rnd.nextGaussian();
                n += dirs[j][c] * dirs[j][c];
            }
            n = Math.sqrt(n);
            for (int c = 0; c < d; c++) dirs[j][c] /= n;
        }
        return dirs;
    }

    public static double[] project(List<double[]> xs, double[] dir) {
        double[] r = new double[xs.size()];
        for (int i = 0; i < r.length; i++) {
            double s = 0;
            for (int c = 0; c < dir.length; c++) s += xs.get(i)[c] * dir[c];
            r[i] = s;
        }
        return r;
    }

    /**
     * Bonferroni-combined p-value of two-sample KS tests (commons-math) of the projections of two
     * sample sets on each direction: the null is that both sets have the same law.
     */
    public static double ksProjectionsPValue(List<double[]> a, List<double[]> b, double[][] directions) {
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double minP = 1;
        for (double[] dir : directions) minP = Math.min(minP, ks.kolmogorovSmirnovTest(project(a, dir), project(b, dir)));
        return Math.min(1, directions.length * minP);
    }
}
