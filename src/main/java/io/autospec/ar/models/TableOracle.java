package io.autospec.ar.models;

import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.PinnedContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An explicit table of unnormalised weights over [q]^n, for small n. Conditionals are sums over the
 * listed assignments that agree with the pinned values (assignments not listed weigh 0).
 *
 * <p>File format (CSV): one line per assignment, n integer values in [0, q) then a non-negative
 * weight; q is one more than the largest value seen, n the number of value columns. Blank lines
 * and lines starting with '#' are ignored.
 */
public final class TableOracle implements ConditionalOracle {
    private final int n, q;
    private final int[] rows;       // m x n values, only assignments with positive weight
    private final double[] weights; // m
    private final double total;
    private final String source;

    /**
     * The law proportional to the listed weights.
     *
     * @param n           positions
     * @param q           values per position
     * @param assignments the listed assignments, n values in [0, q) each; unlisted ones have mass 0
     * @param weights     their non-negative weights, not all zero
     * @param source      the name in reports
     */
    public TableOracle(int n, int q, int[][] assignments, double[] weights, String source) {
        if (n < 1 || q < 1) throw new IllegalArgumentException("table needs n >= 1 and q >= 1");
        if (assignments.length != weights.length) throw new IllegalArgumentException("assignments and weights differ in length");
        this.n = n;
        this.q = q;
        this.source = source;
        List<Integer> keep = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        double t = 0;
        for (int i = 0; i < assignments.length; i++) {
            int[] a = assignments[i];
            if (a.length != n) throw new IllegalArgumentException("assignment " + i + " has " + a.length + " values, expected " + n);
            for (int v : a) if (v < 0 || v >= q) throw new IllegalArgumentException("assignment " + i + " has value " + v + " outside [0, " + q + ")");
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("assignment " + i + " has weight " + w);
            if (!seen.add(java.util.Arrays.toString(a))) throw new IllegalArgumentException("assignment " + java.util.Arrays.toString(a) + " is listed twice");
            if (w > 0) {
                keep.add(i);
                t += w;
            }
        }
        if (!(t > 0)) throw new IllegalArgumentException("table " + source + " has no positive weight");
        // An infinite total would turn every conditional into NaN mid-run.
        if (Double.isInfinite(t)) throw new IllegalArgumentException("table " + source + ": the weights sum to more than " + Double.MAX_VALUE + "; scale them down");
        this.rows = new int[keep.size() * n];
        this.weights = new double[keep.size()];
        for (int r = 0; r < keep.size(); r++) {
            System.arraycopy(assignments[keep.get(r)], 0, rows, r * n, n);
            this.weights[r] = weights[keep.get(r)];
        }
        this.total = t;
    }

    /**
     * Reads a table from a CSV file (format in the class comment); errors name the line.
     *
     * @param file the CSV file
     * @return the model
     * @throws IOException when the file cannot be read
     */
    public static TableOracle read(Path file) throws IOException {
        List<int[]> as = new ArrayList<>();
        List<Double> ws = new ArrayList<>();
        int n = -1, q = 0;
        double total = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                String[] f = s.split("\\s*,\\s*");
                if (f.length < 2) throw new IllegalArgumentException(file + ":" + lineNo + ": expected n values and a weight, got '" + s + "'");
                if (n < 0) n = f.length - 1;
                if (f.length - 1 != n) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": expected " + n + " values and a weight, got " + (f.length - 1) + " values");
                }
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    try {
                        a[i] = Integer.parseInt(f[i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": value " + (i + 1) + " is not an integer: '" + f[i] + "'");
                    }
                    if (a[i] < 0) throw new IllegalArgumentException(file + ":" + lineNo + ": value " + (i + 1) + " is negative: " + a[i]);
                    q = Math.max(q, a[i] + 1);
                }
                double w;
                try {
                    w = Double.parseDouble(f[n]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": weight is not a number: '" + f[n] + "'");
                }
                if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException(file + ":" + lineNo + ": weight must be finite and >= 0, got " + f[n]);
                total += w;
                if (Double.isInfinite(total)) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": weight " + f[n] + " makes the total weight overflow (the sum must stay below "
                            + Double.MAX_VALUE + "; scale the weights down)");
                }
                as.add(a);
                ws.add(w);
            }
        }
        if (n < 0) throw new IllegalArgumentException(file + ": no assignments");
        double[] w = new double[ws.size()];
        for (int i = 0; i < w.length; i++) w[i] = ws.get(i);
        try {
            return new TableOracle(n, q, as.toArray(new int[0][]), w, file.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public int alphabet() {
        return q;
    }

    @Override
    public String describe() {
        return "table(" + source + ", n=" + n + ", q=" + q + ", " + weights.length + " assignments)";
    }

    /** {@return for backends: a copy of the listed assignments with positive weight, m x n values row-major} */
    public int[] assignments() {
        return rows.clone();
    }

    /** {@return for backends: a copy of their weights (m, unnormalised)} */
    public double[] weights() {
        return weights.clone();
    }

    /** {@return mu(x) exactly} */
    public double probability(int[] x) {
        for (int r = 0; r < weights.length; r++) {
            boolean eq = true;
            for (int i = 0; i < n && eq; i++) eq = rows[r * n + i] == x[i];
            if (eq) return weights[r] / total;
        }
        return 0;
    }

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        PinnedContext ctx = new PinnedContext();
        for (int j = from; j < to; j++) {
            ctx.of(batch, j);
            int k = ctx.size(), pos = batch.position(j), o = j * q;
            java.util.Arrays.fill(out, o, o + q, 0.0);
            double s = 0;
            for (int r = 0; r < weights.length; r++) {
                int base = r * n;
                boolean agrees = true;
                for (int i = 0; i < k && agrees; i++) agrees = rows[base + ctx.position(i)] == ctx.value(i);
                if (agrees) {
                    out[o + rows[base + pos]] += weights[r];
                    s += weights[r];
                }
            }
            if (s > 0) for (int v = 0; v < q; v++) out[o + v] /= s;
        }
    }
}
