package io.autospec.ar.models.det;

import io.autospec.ar.ArTesting;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The small determinantal models of the tests, each with its exact law over {0,1}^N enumerated from
 * the model's definition (spanning trees by union-find, tilings by cover counts, subsets by
 * det(L_Y) / det(L + I)), never from the kernel under test.
 */
final class DetZoo {
    private DetZoo() {}

    record Model(String name, DeterminantalOracle oracle, double[] law) {
        int n() {
            return oracle.length();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The 3 x 3 grid: 12 edges, 192 spanning trees, uniform. */
    static SpanningTrees grid3() {
        return SpanningTrees.grid(3, 3);
    }

    /** A weighted 5-vertex graph with 8 edges (a 5-cycle, two chords and a parallel edge). */
    static SpanningTrees weighted5() {
        int[] t = {0, 1, 2, 3, 4, 0, 1, 2};
        int[] h = {1, 2, 3, 4, 0, 2, 3, 3};
        double[] w = {1.0, 2.0, 0.5, 3.0, 1.5, 0.7, 2.5, 1.2};
        return SpanningTrees.of(5, t, h, w, "ust(weighted 5-vertex)");
    }

    /** A fixed positive definite 6 x 6 L (not low rank, off-diagonal couplings of both signs). */
    static double[][] l6() {
        double[][] b = {
            {1.0, 0.3, -0.2, 0.5, 0.0, 0.1},
            {0.2, 0.9, 0.4, -0.3, 0.2, 0.0},
            {-0.1, 0.5, 1.2, 0.2, -0.4, 0.3},
            {0.4, 0.0, 0.3, 0.8, 0.5, -0.2},
            {0.0, -0.3, 0.1, 0.6, 1.1, 0.4},
            {0.3, 0.2, 0.0, -0.1, 0.3, 0.7}};
        double[][] l = new double[6][6];
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) for (int a = 0; a < 6; a++) l[i][j] += b[i][a] * b[j][a];
        return l;
    }

    /** Six fixed points in the unit square, and the bandwidth of their Gaussian L-ensemble. */
    static final double[][] POINTS6 = {{0, 0}, {0.3, 0.1}, {0.9, 0.2}, {0.5, 0.6}, {0.1, 0.8}, {0.7, 0.9}};
    static final double BANDWIDTH6 = 0.3;

    /**
     * L_ij = exp(-|p_i - p_j|^2 / (f B^2)) written out here, independently of LEnsemble: f = 2 is the
     * Gaussian L-ensemble; f = 1 (a lost factor 2) is the planted wrong formula.
     */
    static double[][] pointsL(double[][] p, double b, double f) {
        int n = p.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dx = p[i][0] - p[j][0], dy = p[i][1] - p[j][1];
                l[i][j] = Math.exp(-(dx * dx + dy * dy) / (f * b * b));
            }
        }
        return l;
    }

    static Model pointsModel() {
        return new Model("dpp(points, N=6)", LEnsemble.gaussian(POINTS6, BANDWIDTH6, "6 points").oracle(),
                ensembleLaw(pointsL(POINTS6, BANDWIDTH6, 2)));
    }

    static double[] treeLaw(SpanningTrees g) {
        return ArTesting.law(g.edges(), 2, x -> {
            if (!g.isSpanningTree(x)) return 0;
            double w = 1;
            for (int e = 0; e < x.length; e++) if (x[e] == 1) w *= g.weight(e);
            return w;
        });
    }

    static double[] tilingLaw(AztecDiamond a) {
        return ArTesting.law(a.edges(), 2, x -> a.isTiling(x) ? 1 : 0);
    }

    static double[] ensembleLaw(double[][] l) {
        int n = l.length;
        double[] p = ArTesting.law(n, 2, x -> {
            int size = 0;
            for (int v : x) size += v;
            if (size == 0) return 1;
            double[][] sub = new double[size][size];
            int[] idx = new int[size];
            int c = 0;
            for (int i = 0; i < n; i++) if (x[i] == 1) idx[c++] = i;
            for (int a = 0; a < size; a++) for (int b = 0; b < size; b++) sub[a][b] = l[idx[a]][idx[b]];
            return Math.max(0, new LUDecomposition(new Array2DRowRealMatrix(sub)).getDeterminant());
        });
        return p;
    }

    static Model grid3Model() {
        SpanningTrees g = grid3();
        return new Model("ust(grid=3x3)", g.oracle(), treeLaw(g));
    }

    static Model weighted5Model() {
        SpanningTrees g = weighted5();
        return new Model("ust(weighted 5-vertex)", g.oracle(), treeLaw(g));
    }

    static Model aztecModel(int order) {
        AztecDiamond a = new AztecDiamond(order);
        return new Model("aztec(order=" + order + ")", a.oracle(), order <= 2 ? tilingLaw(a) : null);
    }

    static Model ensembleModel() {
        double[][] l = l6();
        return new Model("dpp(N=6)", LEnsemble.of(l, "l6").oracle(), ensembleLaw(l));
    }

    /** det(L + I), for the normalisation check. */
    static double detLPlusI(double[][] l) {
        RealMatrix m = new Array2DRowRealMatrix(l).add(org.apache.commons.math3.linear.MatrixUtils.createRealIdentityMatrix(l.length));
        return new LUDecomposition(m).getDeterminant();
    }
}
