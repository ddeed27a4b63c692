package io.autospec.ar.models.det;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Uniform domino tilings of the Aztec diamond of order M, as the determinantal process on the edges
 * of its dual graph (a domino = an edge between two adjacent unit cells).
 *
 * <p>Cells are the unit squares [x, x+1] x [y, y+1] with |2x + 1| + |2y + 1| &lt;= 2M, so x, y in
 * [-M, M-1]; there are 2M(M+1). A cell is black when x + y + M is even. <b>Edge order</b> (the
 * positions): cells by y ascending, then x ascending; for each cell, first the horizontal edge to
 * its right neighbour (x+1, y), then the vertical edge to its upper neighbour (x, y+1), each if that
 * neighbour is in the diamond. 4M^2 edges; every tiling has M(M+1) dominoes.
 *
 * <p><b>Kernel</b> (Kenyon): with the real Kasteleyn matrix Kast(b, w) = 1 on horizontal edges and
 * (-1)^x on vertical edges of column x (every square face then has sign product -1),
 * K(e, e') = Kast(b_e, w_e) Kast^{-1}(w_e, b_e'). Not symmetric.
 */
public final class AztecDiamond {
    private final int order;
    private final int[] cellX, cellY;     // by cell index
    private final int[] cellIndex;        // (x + M) + (y + M) 2M -> index, or -1
    private final int[] edgeA, edgeB;     // edge e joins cells edgeA[e] (left/lower) and edgeB[e]
    private final boolean[] horizontal;
    private final int[] rightEdge, upEdge; // by cell: the edge to (x+1, y) / (x, y+1), or -1

    public AztecDiamond(int order) {
        if (order < 1) throw new IllegalArgumentException("aztec needs order >= 1, got " + order);
        if (order > 4096) throw new IllegalArgumentException("aztec:order=" + order + " is too large");
        this.order = order;
        int side = 2 * order;
        cellIndex = new int[side * side];
        Arrays.fill(cellIndex, -1);
        int cells = 2 * order * (order + 1);
        cellX = new int[cells];
        cellY = new int[cells];
        int c = 0;
        for (int y = -order; y < order; y++) {
            for (int x = -order; x < order; x++) {
                if (inside(order, x, y)) {
                    cellIndex[(x + order) + (y + order) * side] = c;
                    cellX[c] = x;
                    cellY[c] = y;
                    c++;
                }
            }
        }
        int m = 4 * order * order;
        edgeA = new int[m];
        edgeB = new int[m];
        horizontal = new boolean[m];
        rightEdge = new int[cells];
        upEdge = new int[cells];
        Arrays.fill(rightEdge, -1);
        Arrays.fill(upEdge, -1);
        int e = 0;
        for (int i = 0; i < cells; i++) {
            int x = cellX[i], y = cellY[i];
            if (inside(order, x + 1, y)) {
                rightEdge[i] = e;
                edgeA[e] = i;
                edgeB[e] = cell(x + 1, y);
                horizontal[e++] = true;
            }
            if (inside(order, x, y + 1)) {
                upEdge[i] = e;
                edgeA[e] = i;
                edgeB[e] = cell(x, y + 1);
                horizontal[e++] = false;
            }
        }
        if (e != m) throw new IllegalStateException("aztec order " + order + ": " + e + " edges, expected " + m);
    }

    static boolean inside(int order, int x, int y) {
        return Math.abs(2 * x + 1) + Math.abs(2 * y + 1) <= 2 * order;
    }

    public int order() {
        return order;
    }

    /** Number of edges (positions): 4M^2. */
    public int edges() {
        return edgeA.length;
    }

    public int cells() {
        return cellX.length;
    }

    /** The cell at (x, y), or -1 outside the diamond. */
    public int cell(int x, int y) {
        if (!inside(order, x, y)) return -1;
        return cellIndex[(x + order) + (y + order) * 2 * order];
    }

    public int cellX(int c) {
        return cellX[c];
    }

    public int cellY(int c) {
        return cellY[c];
    }

    public boolean black(int c) {
        return ((cellX[c] + cellY[c] + order) & 1) == 0;
    }

    /** The left (horizontal edge) or lower (vertical edge) cell of edge e. */
    public int lowerCell(int e) {
        return edgeA[e];
    }

    public int upperCell(int e) {
        return edgeB[e];
    }

    public boolean horizontal(int e) {
        return horizontal[e];
    }

    /** The edge joining cells a and b, or -1. */
    public int edge(int a, int b) {
        if (a < 0 || b < 0) return -1;
        if (a > b) return edge(b, a);
        if (rightEdge[a] >= 0 && edgeB[rightEdge[a]] == b) return rightEdge[a];
        if (upEdge[a] >= 0 && edgeB[upEdge[a]] == b) return upEdge[a];
        return -1;
    }

    /** Kenyon's kernel over the edges (4M^2 x 4M^2). */
    public double[][] kenyonKernel() {
        int cells = cells(), half = cells / 2;
        int[] colourIndex = new int[cells]; // index among the cells of its colour
        int nb = 0, nw = 0;
        for (int c = 0; c < cells; c++) colourIndex[c] = black(c) ? nb++ : nw++;
        if (nb != half || nw != half) throw new IllegalStateException("aztec order " + order + ": unbalanced colouring");
        double[][] kast = new double[half][half];
        int m = edges();
        int[] eb = new int[m], ew = new int[m];
        double[] sign = new double[m];
        for (int e = 0; e < m; e++) {
            int a = edgeA[e], b = edgeB[e];
            int blk = black(a) ? a : b, wht = black(a) ? b : a;
            eb[e] = colourIndex[blk];
            ew[e] = colourIndex[wht];
            sign[e] = horizontal[e] ? 1 : ((cellX[a] & 1) == 0 ? 1 : -1);
            kast[eb[e]][ew[e]] = sign[e];
        }
        RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(kast, false)).getSolver().getInverse();
        double[][] ki = inv.getData(); // indexed (white, black)
        double[][] k = new double[m][m];
        for (int e = 0; e < m; e++) {
            double[] row = k[e], kiw = ki[ew[e]];
            for (int f = 0; f < m; f++) row[f] = sign[e] * kiw[eb[f]];
        }
        return k;
    }

    /** The conditional oracle (positions = edges in the documented order). */
    public DeterminantalOracle oracle() {
        return new DeterminantalOracle(kenyonKernel(), false, "aztec(order=" + order + ")");
    }

    /** Whether x (one 0/1 per edge) is a perfect matching of the cells (a tiling). */
    public boolean isTiling(int[] x) {
        int[] covered = new int[cells()];
        for (int e = 0; e < x.length; e++) {
            if (x[e] == 0) continue;
            if (covered[edgeA[e]]++ > 0 || covered[edgeB[e]]++ > 0) return false;
        }
        for (int c : covered) if (c != 1) return false;
        return true;
    }
}
