package io.autospec.ar;

import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.ar.models.TableOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small instances of every zoo model together with their exact laws, each law computed by
 * enumerating [q]^n from the model's DEFINITION (not from the oracle under test).
 */
public final class ArZoo {
    private ArZoo() {}

    /** A model and its exact law over [q]^n (cell order of {@link ArTesting#index}). */
    public record Model(String name, ConditionalOracle oracle, double[] law) {
        public int n() {
            return oracle.length();
        }

        public int q() {
            return oracle.alphabet();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Product of explicit marginals. */
    public static Model product(double[][] m) {
        int n = m.length, q = m[0].length;
        double[] law = ArTesting.law(n, q, x -> {
            double p = 1;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (double v : m[i]) s += v;
                p *= m[i][x[i]] / s;
            }
            return p;
        });
        return new Model("product(n=" + n + ",q=" + q + ")", new ProductOracle(m), law);
    }

    /** The product model of the chi-square suite: n = 5, q = 3, uneven marginals. */
    public static Model product5x3() {
        return product(new double[][] {
            {0.2, 0.5, 0.3}, {0.6, 0.1, 0.3}, {0.34, 0.33, 0.33}, {0.05, 0.15, 0.8}, {0.45, 0.45, 0.1}});
    }

    /** A chain with transition matrix t and initial law pi: pi(x0) prod t(x_i, x_{i+1}). */
    public static Model chain(int n, double[][] t, double[] pi, String name) {
        int q = pi.length;
        double[] law = ArTesting.law(n, q, x -> {
            double p = pi[x[0]];
            for (int i = 0; i + 1 < n; i++) p *= t[x[i]][x[i + 1]];
            return p;
        });
        return new Model(name, new MarkovChain(n, t, pi, name), law);
    }

    /** The "stay" chain (uniform start; stay, else uniform over the other q-1 states). */
    public static Model stay(int n, int q, double stay) {
        double[][] t = new double[q][q];
        for (int a = 0; a < q; a++) for (int b = 0; b < q; b++) t[a][b] = a == b ? stay : (1 - stay) / (q - 1);
        double[] pi = new double[q];
        java.util.Arrays.fill(pi, 1.0 / q);
        String name = (q == 2 ? "markov" : "potts") + "(n=" + n + ",q=" + q + ",stay=" + stay + ")";
        double[] law = ArTesting.law(n, q, x -> {
            double p = pi[x[0]];
            for (int i = 0; i + 1 < n; i++) p *= t[x[i]][x[i + 1]];
            return p;
        });
        return new Model(name, MarkovChain.stay(n, q, stay), law);
    }

    /** Curie-Weiss: exp(beta/(2n) S^2 + h S), S = sum (2 x_i - 1). */
    public static Model curieWeiss(int n, double beta, double h) {
        double[] law = ArTesting.lawFromLog(n, 2, x -> {
            double s = 0;
            for (int v : x) s += 2 * v - 1;
            return beta / (2.0 * n) * s * s + h * s;
        });
        return new Model("curie-weiss(n=" + n + ",beta=" + beta + ",h=" + h + ")", new CurieWeiss(n, beta, h), law);
    }

    /** Uniform over the solutions of A x = c (membership via {@link ParityOracle#satisfies}). */
    public static Model parity(int n, int constraints, long seed) {
        ParityOracle p = ParityOracle.random(n, constraints, seed);
        double[] law = ArTesting.law(n, 2, x -> p.satisfies(x) ? 1 : 0);
        return new Model("parity(n=" + n + ",C=" + constraints + ",seed=" + seed + ")", p, law);
    }

    /** The weight of x in the test table (0 for "missing" rows; see {@link #writeTable}). */
    static double tableWeight(int[] x) {
        int s = 0;
        for (int v : x) s += v;
        if (s % 4 == 1) return 0; // missing from the file
        if (x[0] == x[x.length - 1] && x[1] == 2) return 0; // listed with weight 0
        return 1 + (ArTesting.index(x, 3) * 7) % 5 + (x[0] == 0 ? 0.5 : 0);
    }

    /** Whether {@link #writeTable} omits x (the rest are listed, some with weight 0). */
    static boolean tableMissing(int[] x) {
        int s = 0;
        for (int v : x) s += v;
        return s % 4 == 1;
    }

    /**
     * Writes a CSV table over [3]^n with comments, blank lines, explicit zero weights, missing
     * assignments and assorted number formats.
     */
    public static Path writeTable(Path dir, int n) {
        StringBuilder sb = new StringBuilder("# test table over [3]^" + n + "\n\n");
        int cells = ArTesting.cells(n, 3);
        for (int i = cells - 1; i >= 0; i--) { // not in index order
            int[] x = ArTesting.decode(i, n, 3);
            if (tableMissing(x)) continue;
            double w = tableWeight(x);
            for (int v : x) sb.append(v).append(i % 3 == 0 ? " , " : ",");
            sb.append(w == 0 ? (i % 2 == 0 ? "0" : "0.0") : i % 5 == 0 ? String.format(java.util.Locale.ROOT, "%.3e", w) : Double.toString(w));
            sb.append(i % 7 == 0 ? "  \n" : "\n");
            if (i % 11 == 0) sb.append("# a comment\n");
        }
        Path file = dir.resolve("table-n" + n + ".csv");
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The table model read back from {@link #writeTable}; its law is computed from {@link #tableWeight}. */
    public static Model table(Path dir, int n) {
        try {
            TableOracle t = TableOracle.read(writeTable(dir, n));
            if (t.alphabet() != 3 || t.length() != n) throw new AssertionError("table read as n=" + t.length() + ", q=" + t.alphabet());
            return new Model("table(n=" + n + ",q=3,zeros)", t, ArTesting.law(n, 3, ArZoo::tableWeight));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
