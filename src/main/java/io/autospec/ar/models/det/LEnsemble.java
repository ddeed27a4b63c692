package io.autospec.ar.models.det;

import io.autospec.spi.Key;
import io.autospec.spi.Purpose;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * An L-ensemble on N items: P(Y) = det(L_Y) / det(L + I) for a symmetric positive semidefinite L.
 * Held in spectral form L = Σ_j λ_j v_j v_j^T (only λ_j &gt; 0 kept), which gives the marginal kernel
 * K = L (L + I)^{-1} = Σ_j λ_j / (1 + λ_j) v_j v_j^T and the spectral sampler's input.
 */
public final class LEnsemble {
    /** Eigenvalues below this (relative to the largest) count as zero; more negative ones are errors. */
    static final double PSD_TOLERANCE = 1e-9;

    private final int n;
    private final double[] lambda;     // positive eigenvalues of L
    private final double[][] vectors;  // vectors[j] = v_j (length N, orthonormal)
    private final String description;
    private final double[][] points;   // points[i] = (x, y) of item i, or null when not built from points

    private LEnsemble(int n, double[] lambda, double[][] vectors, String description) {
        this(n, lambda, vectors, description, null);
    }

    private LEnsemble(int n, double[] lambda, double[][] vectors, String description, double[][] points) {
        this.n = n;
        this.lambda = lambda;
        this.vectors = vectors;
        this.description = description;
        this.points = points;
    }

    /**
     * The Gaussian L-ensemble of points in the plane: L_ij = exp(-|p_i - p_j|^2 / (2 B^2)) with
     * bandwidth B. L is symmetric positive semidefinite by construction (a Gaussian kernel matrix: the
     * Gram matrix of the points' feature maps), so round-off is its only departure from PSD; the
     * ensemble keeps the points (for pictures). Near points repel: the sample spreads out.
     */
    public static LEnsemble gaussian(double[][] points, double bandwidth, String source) {
        if (!(bandwidth > 0) || !Double.isFinite(bandwidth)) {
            throw new IllegalArgumentException(source + ": bandwidth must be a positive number, got " + bandwidth);
        }
        double[][] l = gaussianKernel(points, bandwidth);
        LEnsemble base = of(l, source);
        double[][] copy = new double[points.length][];
        for (int i = 0; i < points.length; i++) copy[i] = points[i].clone();
        return new LEnsemble(base.n, base.lambda, base.vectors,
                String.format(java.util.Locale.ROOT, "dpp(%s, %d points, gaussian bandwidth=%.4g)", source, points.length, bandwidth), copy);
    }

    /** L_ij = exp(-|p_i - p_j|^2 / (2 B^2)) (N x N) for points (x, y). */
    public static double[][] gaussianKernel(double[][] points, double bandwidth) {
        int n = points.length;
        if (n < 1) throw new IllegalArgumentException("an L-ensemble needs at least one point");
        double[][] l = new double[n][n];
        double inv = 1 / (2 * bandwidth * bandwidth);
        for (int i = 0; i < n; i++) {
            l[i][i] = 1;
            for (int j = 0; j < i; j++) {
                double dx = points[i][0] - points[j][0], dy = points[i][1] - points[j][1];
                l[i][j] = l[j][i] = Math.exp(-(dx * dx + dy * dy) * inv);
            }
        }
        return l;
    }

    /** The bounding box {x0, x1, y0, y1} of 2-d points (infinities when there are none). */
    public static double[] boundingBox(double[][] points) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
        for (double[] p : points) {
            x0 = Math.min(x0, p[0]);
            x1 = Math.max(x1, p[0]);
            y0 = Math.min(y0, p[1]);
            y1 = Math.max(y1, p[1]);
        }
        return new double[] {x0, x1, y0, y1};
    }

    /** The default bandwidth for points: the mean spacing sqrt(area / N) of their bounding box (1 when it is degenerate). */
    public static double defaultBandwidth(double[][] points) {
        double[] box = boundingBox(points);
        double w = box[1] - box[0], h = box[3] - box[2];
        double area = w > 0 && h > 0 ? w * h : Math.max(w, h) * Math.max(w, h);
        return area > 0 ? Math.sqrt(area / points.length) : 1;
    }

    /** N points uniform in the unit square (Philox from the seed). */
    public static double[][] randomPoints(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("dpp:random-points needs n >= 1, got " + n);
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_MODEL, 11, 0);
        double[][] p = new double[n][2];
        for (int i = 0; i < n; i++) {
            p[i][0] = key.uniform(Purpose.DRAFT, i, 0);
            p[i][1] = key.uniform(Purpose.DRAFT, i, 1);
        }
        return p;
    }

    /**
     * Reads points from a CSV file, one point {@code x,y} a line ('#' comments and blank lines
     * skipped); errors name the file, the line and the value.
     */
    public static double[][] readPoints(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<double[]> pts = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String s = lines.get(ln).strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            String[] parts = s.split("\\s*,\\s*");
            if (parts.length != 2) {
                throw new IllegalArgumentException(file + ":" + (ln + 1) + ": expected a point x,y, got " + parts.length + " values in '" + s + "'");
            }
            double[] p = new double[2];
            for (int j = 0; j < 2; j++) {
                try {
                    p[j] = Double.parseDouble(parts[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + (ln + 1) + ": '" + parts[j] + "' is not a number");
                }
                if (!Double.isFinite(p[j])) throw new IllegalArgumentException(file + ":" + (ln + 1) + ": " + parts[j] + " is not finite");
            }
            pts.add(p);
        }
        if (pts.isEmpty()) throw new IllegalArgumentException(file + ": no points (expected lines x,y)");
        return pts.toArray(new double[0][]);
    }

    /** The items' points (x, y), when the ensemble was built from points; else null. */
    public double[][] points() {
        if (points == null) return null;
        double[][] copy = new double[n][];
        for (int i = 0; i < n; i++) copy[i] = points[i].clone();
        return copy;
    }

    /** From an explicit L; checks symmetry and positive semidefiniteness ({@code source} names it in errors). */
    /** The largest entry magnitude of an L matrix: beyond it the eigendecomposition can overflow. */
    public static final double MAX_ENTRY = 1e100;

    public static LEnsemble of(double[][] l, String source) {
        int n = l.length;
        if (n < 1) throw new IllegalArgumentException(source + ": an L-ensemble needs at least one item");
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (l[i].length != n) throw new IllegalArgumentException(source + ": row " + (i + 1) + " has " + l[i].length + " numbers, expected " + n);
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(l[i][j])) throw new IllegalArgumentException(source + ": entry (" + (i + 1) + ", " + (j + 1) + ") is " + l[i][j]);
                scale = Math.max(scale, Math.abs(l[i][j]));
            }
        }
        if (scale > MAX_ENTRY) { // the eigendecomposition squares entries: refuse before it overflows
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (Math.abs(l[i][j]) > MAX_ENTRY) {
                        throw new IllegalArgumentException(source + ": entry (" + (i + 1) + ", " + (j + 1) + ") is " + l[i][j]
                                + ", too large (entries of L must be at most 1e100 in magnitude)");
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(l[i][j] - l[j][i]) > 1e-12 * Math.max(1, scale)) {
                    throw new IllegalArgumentException(source + ": L is not symmetric: line " + (i + 1) + " column " + (j + 1) + " is " + l[i][j]
                            + " but line " + (j + 1) + " column " + (i + 1) + " is " + l[j][i]);
                }
            }
        }
        EigenDecomposition eig;
        try {
            eig = new EigenDecomposition(new Array2DRowRealMatrix(l));
        } catch (org.apache.commons.math3.exception.MathIllegalStateException | org.apache.commons.math3.exception.MathArithmeticException e) {
            throw new IllegalArgumentException(source + ": L cannot be decomposed (" + e.getMessage() + "); check its entries", e);
        }
        double[] ev = eig.getRealEigenvalues();
        for (double v : ev) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException(source + ": L has a non-finite eigenvalue; its entries are too large");
        }
        double max = 0;
        for (double v : ev) max = Math.max(max, Math.abs(v));
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < ev.length; j++) {
            if (ev[j] < -PSD_TOLERANCE * Math.max(1, max)) {
                throw new IllegalArgumentException(source + ": L is not positive semidefinite (eigenvalue " + ev[j] + ")");
            }
            if (ev[j] > PSD_TOLERANCE * Math.max(1, max)) keep.add(j);
        }
        double[] lam = new double[keep.size()];
        double[][] vec = new double[keep.size()][];
        for (int t = 0; t < lam.length; t++) {
            lam[t] = ev[keep.get(t)];
            vec[t] = eig.getEigenvector(keep.get(t)).toArray();
        }
        return new LEnsemble(n, lam, vec, "dpp(" + source + ", n=" + n + ")");
    }

    /** Reads L from a CSV file: N lines of N numbers; errors name the file, line and value. */
    public static LEnsemble read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<double[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String s = lines.get(ln).strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            String[] parts = s.split("\\s*,\\s*");
            double[] row = new double[parts.length];
            for (int j = 0; j < parts.length; j++) {
                try {
                    row[j] = Double.parseDouble(parts[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + (ln + 1) + ": '" + parts[j] + "' is not a number");
                }
                if (!Double.isFinite(row[j])) throw new IllegalArgumentException(file + " line " + (ln + 1) + ": " + parts[j] + " is not finite");
            }
            rows.add(row);
            lineNumbers.add(ln + 1);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(file + ": no rows");
        int n = rows.size();
        for (int i = 0; i < n; i++) {
            if (rows.get(i).length != n) {
                throw new IllegalArgumentException(file + " line " + lineNumbers.get(i) + ": " + rows.get(i).length + " numbers, expected " + n + " (L is N x N with N = "
                        + n + " rows)");
            }
        }
        return of(rows.toArray(new double[0][]), file.toString());
    }

    /**
     * L = B B^T with B an N x R matrix of independent N(0, 1/R) entries (Philox from the seed): rank R,
     * eigenvalues about N/R. Built from the R x R Gram matrix, so N can be large.
     */
    public static LEnsemble random(int n, int rank, long seed) {
        if (n < 1) throw new IllegalArgumentException("dpp:random needs n >= 1, got " + n);
        if (rank < 1 || rank > n) throw new IllegalArgumentException("dpp:random needs 1 <= rank <= n, got rank=" + rank + ", n=" + n);
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_MODEL, 10, 0);
        double[][] b = new double[n][rank];
        double sd = 1 / Math.sqrt(rank);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rank; j++) { // Box-Muller
                double u1 = key.uniform(Purpose.DRAFT, i, 2 * j), u2 = key.uniform(Purpose.DRAFT, i, 2 * j + 1);
                b[i][j] = sd * Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
            }
        }
        // B = U S W^T: the Gram matrix B^T B = W S^2 W^T; L's eigenvectors are u_j = B w_j / s_j.
        double[][] gram = new double[rank][rank];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < rank; a++) {
                double x = b[i][a];
                for (int c = 0; c < rank; c++) gram[a][c] += x * b[i][c];
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(gram));
        double[] ev = eig.getRealEigenvalues();
        List<double[]> vec = new ArrayList<>();
        List<Double> lam = new ArrayList<>();
        for (int j = 0; j < rank; j++) {
            if (!(ev[j] > 1e-12)) continue;
            double[] w = eig.getEigenvector(j).toArray();
            double[] u = new double[n];
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int a = 0; a < rank; a++) s += b[i][a] * w[a];
                u[i] = s;
                norm += s * s;
            }
            double inv = 1 / Math.sqrt(norm);
            for (int i = 0; i < n; i++) u[i] *= inv;
            vec.add(u);
            lam.add(ev[j]);
        }
        return new LEnsemble(n, lam.stream().mapToDouble(Double::doubleValue).toArray(), vec.toArray(new double[0][]),
                "dpp(random, n=" + n + ", rank=" + rank + ", seed=" + seed + ")");
    }

    public int size() {
        return n;
    }

    /** The positive eigenvalues of L. */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /** Eigenvector j of L (for a positive eigenvalue), length N. */
    public double[] eigenvector(int j) {
        return vectors[j].clone();
    }

    /** The marginal kernel K = L (L + I)^{-1}. */
    public double[][] marginalKernel() {
        double[][] k = new double[n][n];
        for (int j = 0; j < lambda.length; j++) {
            double w = lambda[j] / (1 + lambda[j]);
            double[] v = vectors[j];
            for (int a = 0; a < n; a++) {
                double va = w * v[a];
                if (va == 0) continue;
                double[] row = k[a];
                for (int c = 0; c < n; c++) row[c] += va * v[c];
            }
        }
        return k;
    }

    /** The conditional oracle of this ensemble. */
    public DeterminantalOracle oracle() {
        return new DeterminantalOracle(marginalKernel(), true, description);
    }

    /** L itself (N x N), for tests. */
    public RealMatrix matrix() {
        double[][] l = new double[n][n];
        for (int j = 0; j < lambda.length; j++) {
            double[] v = vectors[j];
            for (int a = 0; a < n; a++) for (int c = 0; c < n; c++) l[a][c] += lambda[j] * v[a] * v[c];
        }
        return new Array2DRowRealMatrix(l, false);
    }

    public String describe() {
        return description;
    }
}
