package io.autospec.diffusion.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading mixtures from text files. The format shared by both readers:
 * <ul>
 *   <li>UTF-8 text, one record per line; blank lines are ignored, and so are comment lines (whose
 *       first non-blank character is {@code #}).</li>
 *   <li>Fields are separated by commas (surrounding spaces are ignored) when the first non-comment
 *       line contains a comma, otherwise by runs of whitespace; the choice holds for the whole
 *       file. An empty field is an error.</li>
 *   <li>The first non-comment line is a <em>header</em> when none of its fields is a number; it must
 *       then have as many fields as the data lines.</li>
 *   <li>Every data line must have the same number of fields, every field must be a finite decimal
 *       number ({@code NaN} and {@code Infinity} are rejected).</li>
 *   <li>Errors are {@link IllegalArgumentException}s whose message starts with {@code file:line:};
 *       a file that cannot be read raises {@link UncheckedIOException}.</li>
 * </ul>
 * <b>Atoms</b> ({@link #readAtoms}): each data line is one point, its d coordinates. A weight column
 * is present <em>only</em> when the header's last field is {@code weight} (any case) or a comment
 * line {@code # weighted} comes before the first data line; the weight is then the last field
 * (finite, &gt;= 0, not all zero), and d is the number of fields minus one. Otherwise all atoms
 * have equal weight.
 *
 * <p><b>Gaussian mixtures</b> ({@link #readGmm}): each data line is one component:
 * {@code weight, variance, m_1, ..., m_d} (so at least three fields); weight &gt;= 0 (normalised
 * afterwards), variance &gt;= 0 (0 is a point mass).
 */
public final class MixtureFiles {
    private MixtureFiles() {}

    /** Reads a finite set of (optionally weighted) atoms; see the class comment for the format. */
    public static IsotropicMixture readAtoms(Path csv) {
        Table table = Table.read(csv);
        if (table.rows.isEmpty()) throw new IllegalArgumentException(csv + ": no atoms (the file has no data lines)");
        boolean weighted = table.weightedFlag
                || (table.header != null && table.header[table.header.length - 1].equalsIgnoreCase("weight"));
        int cols = table.rows.get(0).length;
        int d = weighted ? cols - 1 : cols;
        if (d < 1) {
            throw new IllegalArgumentException(csv + ":" + table.lines.get(0)
                    + ": a weighted atom needs at least one coordinate and the weight, found " + cols + " field(s)");
        }
        int k = table.rows.size();
        double[][] points = new double[k][];
        double[] w = new double[k];
        double total = 0;
        for (int r = 0; r < k; r++) {
            double[] row = table.rows.get(r);
            points[r] = java.util.Arrays.copyOf(row, d);
            w[r] = weighted ? row[d] : 1.0;
            if (w[r] < 0) throw new IllegalArgumentException(csv + ":" + table.lines.get(r) + ": weight " + w[r] + " is negative");
            total += w[r];
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException(csv + ": the atom weights must have a positive, finite sum, got " + total);
        }
        return locate(csv, table, () -> new IsotropicMixture(w, points, new double[k],
                "atoms(" + fileName(csv) + ", k=" + k + ", d=" + d + (weighted ? ", weighted" : "") + ")"));
    }

    /** Reads a Gaussian mixture (weight, variance, mean...) per line; see the class comment. */
    public static IsotropicMixture readGmm(Path csv) {
        Table table = Table.read(csv);
        if (table.rows.isEmpty()) throw new IllegalArgumentException(csv + ": no components (the file has no data lines)");
        int cols = table.rows.get(0).length;
        if (cols < 3) {
            throw new IllegalArgumentException(csv + ":" + table.lines.get(0)
                    + ": a component needs weight, variance and at least one mean coordinate, found " + cols + " field(s)");
        }
        int k = table.rows.size(), d = cols - 2;
        double[] w = new double[k], v = new double[k];
        double[][] m = new double[k][];
        double total = 0;
        for (int r = 0; r < k; r++) {
            double[] row = table.rows.get(r);
            w[r] = row[0];
            v[r] = row[1];
            if (w[r] < 0) throw new IllegalArgumentException(csv + ":" + table.lines.get(r) + ": weight " + w[r] + " is negative");
            if (v[r] < 0) throw new IllegalArgumentException(csv + ":" + table.lines.get(r) + ": variance " + v[r] + " is negative");
            m[r] = java.util.Arrays.copyOfRange(row, 2, cols);
            total += w[r];
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException(csv + ": the component weights must have a positive, finite sum, got " + total);
        }
        return locate(csv, table, () -> new IsotropicMixture(w, m, v, "gmm(" + fileName(csv) + ", k=" + k + ", d=" + d + ")"));
    }

    private static final java.util.regex.Pattern COMPONENT = java.util.regex.Pattern.compile("component (\\d+): (.*)", java.util.regex.Pattern.DOTALL);

    /** Builds the mixture; a rejected component is reported as file:line, where the user can fix it. */
    private static IsotropicMixture locate(Path csv, Table table, java.util.function.Supplier<IsotropicMixture> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            java.util.regex.Matcher mt = COMPONENT.matcher(String.valueOf(e.getMessage()));
            if (mt.matches()) {
                int c = Integer.parseInt(mt.group(1));
                if (c < table.lines.size()) {
                    throw new IllegalArgumentException(csv + ":" + table.lines.get(c) + ": " + mt.group(2), e);
                }
            }
            throw new IllegalArgumentException(csv + ": " + e.getMessage(), e);
        }
    }

    private static String fileName(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }

    /** The numeric lines of a file, with their line numbers. */
    private static final class Table {
        String[] header;
        boolean weightedFlag;
        Boolean commas; // the separator, decided by the first non-comment line
        final List<double[]> rows = new ArrayList<>();
        final List<Integer> lines = new ArrayList<>();

        static Table read(Path csv) {
            List<String> text;
            try {
                text = Files.readAllLines(csv, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
            }
            Table t = new Table();
            int cols = -1;
            for (int i = 0; i < text.size(); i++) {
                int lineNo = i + 1;
                String line = text.get(i).strip();
                if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1).strip(); // byte-order mark
                if (line.isEmpty()) continue;
                if (line.startsWith("#")) {
                    if (t.rows.isEmpty() && line.substring(1).strip().toLowerCase(Locale.ROOT).equals("weighted")) {
                        t.weightedFlag = true;
                    }
                    continue;
                }
                if (t.commas == null) t.commas = line.indexOf(',') >= 0;
                String[] fields = split(line, t.commas);
                for (int f = 0; f < fields.length; f++) {
                    if (fields[f].isEmpty()) {
                        throw new IllegalArgumentException(csv + ":" + lineNo + ": field " + (f + 1) + " is empty");
                    }
                }
                if (t.rows.isEmpty() && t.header == null && noneNumeric(fields)) {
                    t.header = fields;
                    cols = fields.length;
                    continue;
                }
                if (cols < 0) cols = fields.length;
                if (fields.length != cols) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": expected " + cols + " field(s)"
                            + (t.header != null && t.rows.isEmpty() ? " (as in the header)" : " (as in the first line)")
                            + ", found " + fields.length);
                }
                double[] row = new double[cols];
                for (int f = 0; f < cols; f++) {
                    double v;
                    try {
                        v = Double.parseDouble(fields[f]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(csv + ":" + lineNo + ": field " + (f + 1) + " '" + fields[f]
                                + "' is not a number");
                    }
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException(csv + ":" + lineNo + ": field " + (f + 1) + " is " + fields[f]
                                + " (values must be finite)");
                    }
                    row[f] = v;
                }
                t.rows.add(row);
                t.lines.add(lineNo);
            }
            return t;
        }

        private static String[] split(String line, boolean commas) {
            if (commas) {
                String[] f = line.split(",", -1);
                for (int i = 0; i < f.length; i++) f[i] = f[i].strip();
                return f;
            }
            return line.split("\\s+");
        }

        private static boolean noneNumeric(String[] fields) {
            for (String f : fields) {
                try {
                    Double.parseDouble(f);
                    return false;
                } catch (NumberFormatException e) {
                    // not a number: header-like
                }
            }
            return true;
        }
    }
}
