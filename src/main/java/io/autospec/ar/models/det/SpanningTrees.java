package io.autospec.ar.models.det;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Weighted uniform spanning trees of a connected multigraph: P(T) ∝ Π_{e ∈ T} w_e. Positions are
 * the edges in input order; a sample is one 0/1 per edge. Determinantal with the transfer-current
 * kernel K = W^{1/2} B L^+ B^T W^{1/2} (B the edge-vertex incidence, L the weighted Laplacian),
 * computed by grounding one vertex: K_ef = sqrt(w_e w_f) (b_e^T G b_f) with G the inverse of the
 * grounded Laplacian.
 */
public final class SpanningTrees {
    private final int vertices;
    private final int[] tail, head;
    private final double[] weight;
    private final int gridWidth, gridHeight; // 0 unless built by grid()
    private final String description;

    private SpanningTrees(int vertices, int[] tail, int[] head, double[] weight, int gridWidth, int gridHeight, String description) {
        this.vertices = vertices;
        this.tail = tail;
        this.head = head;
        this.weight = weight;
        this.gridWidth = gridWidth;
        this.gridHeight = gridHeight;
        this.description = description;
        if (tail.length == 0) throw new IllegalArgumentException(description + ": the graph has no edges");
        int[] parent = new int[vertices];
        for (int v = 0; v < vertices; v++) parent[v] = v;
        int components = vertices;
        for (int e = 0; e < tail.length; e++) {
            int a = find(parent, tail[e]), b = find(parent, head[e]);
            if (a != b) {
                parent[a] = b;
                components--;
            }
        }
        if (components != 1) throw new IllegalArgumentException(description + ": the graph is disconnected (" + components + " components); spanning trees need a connected graph");
    }

    static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    /** A graph from edges between vertices 0..vertices-1 (weights &gt; 0). */
    public static SpanningTrees of(int vertices, int[] tail, int[] head, double[] weight, String description) {
        for (int e = 0; e < tail.length; e++) {
            if (tail[e] == head[e]) throw new IllegalArgumentException(description + ": edge " + e + " is a self-loop at vertex " + tail[e]);
            if (!(weight[e] > 0) || !Double.isFinite(weight[e])) throw new IllegalArgumentException(description + ": edge " + e + " has weight " + weight[e] + " (must be > 0)");
        }
        return new SpanningTrees(vertices, tail.clone(), head.clone(), weight.clone(), 0, 0, description);
    }

    /**
     * The W x H grid graph. Vertex (x, y) is y W + x; edges in order: for each vertex in that order,
     * the one to its right neighbour, then the one to its upper neighbour.
     */
    public static SpanningTrees grid(int w, int h) {
        if (w < 1 || h < 1 || (long) w * h < 2) throw new IllegalArgumentException("ust:grid needs W, H >= 1 and at least 2 vertices, got " + w + "x" + h);
        if ((long) w * h > 1 << 24) throw new IllegalArgumentException("ust:grid=" + w + "x" + h + " is too large");
        List<int[]> edges = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = y * w + x;
                if (x + 1 < w) edges.add(new int[] {v, v + 1});
                if (y + 1 < h) edges.add(new int[] {v, v + w});
            }
        }
        int m = edges.size();
        int[] t = new int[m], hd = new int[m];
        double[] wt = new double[m];
        for (int e = 0; e < m; e++) {
            t[e] = edges.get(e)[0];
            hd[e] = edges.get(e)[1];
            wt[e] = 1;
        }
        return new SpanningTrees(w * h, t, hd, wt, w, h, "ust(grid=" + w + "x" + h + ")");
    }

    /**
     * Reads an edge list: one {@code u,v[,weight]} per line (integer vertex ids, weight &gt; 0, default 1;
     * blank lines and lines starting with # are skipped). Errors name the file, line and value.
     */
    public static SpanningTrees read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<Long, Integer> ids = new LinkedHashMap<>();
        List<int[]> edges = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String s = lines.get(ln).strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            String[] p = s.split("\\s*,\\s*");
            String where = file + " line " + (ln + 1);
            if (p.length < 2 || p.length > 3) throw new IllegalArgumentException(where + ": expected u,v[,weight], got '" + s + "'");
            long u = vertexId(p[0], where), v = vertexId(p[1], where);
            if (u == v) throw new IllegalArgumentException(where + ": self-loop at vertex " + u);
            double w = 1;
            if (p.length == 3) {
                try {
                    w = Double.parseDouble(p[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": weight '" + p[2] + "' is not a number");
                }
                if (!(w > 0) || !Double.isFinite(w)) throw new IllegalArgumentException(where + ": weight " + p[2] + " must be a finite number > 0");
            }
            int a = ids.computeIfAbsent(u, key -> ids.size()), b = ids.computeIfAbsent(v, key -> ids.size());
            edges.add(new int[] {a, b});
            weights.add(w);
        }
        if (edges.isEmpty()) throw new IllegalArgumentException(file + ": no edges");
        int m = edges.size();
        int[] t = new int[m], h = new int[m];
        double[] wt = new double[m];
        for (int e = 0; e < m; e++) {
            t[e] = edges.get(e)[0];
            h[e] = edges.get(e)[1];
            wt[e] = weights.get(e);
        }
        return new SpanningTrees(ids.size(), t, h, wt, 0, 0, "ust(" + file + ")");
    }

    private static long vertexId(String s, String where) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": vertex id '" + s + "' is not an integer");
        }
    }

    public int vertices() {
        return vertices;
    }

    public int edges() {
        return tail.length;
    }

    public int tail(int e) {
        return tail[e];
    }

    public int head(int e) {
        return head[e];
    }

    public double weight(int e) {
        return weight[e];
    }

    /** Grid width, or 0 if this is not a grid graph. */
    public int gridWidth() {
        return gridWidth;
    }

    public int gridHeight() {
        return gridHeight;
    }

    public String describe() {
        return description;
    }

    /** The transfer-current matrix (edges x edges). */
    public double[][] transferCurrent() {
        int g = vertices - 1; // vertex g is grounded
        double[][] lap = new double[g][g];
        for (int e = 0; e < tail.length; e++) {
            int a = tail[e], b = head[e];
            double w = weight[e];
            if (a < g) lap[a][a] += w;
            if (b < g) lap[b][b] += w;
            if (a < g && b < g) {
                lap[a][b] -= w;
                lap[b][a] -= w;
            }
        }
        RealMatrix inv = new CholeskyDecomposition(new Array2DRowRealMatrix(lap, false), 1e-12, 1e-14).getSolver().getInverse();
        double[][] gInv = inv.getData();
        int m = tail.length;
        double[][] k = new double[m][m];
        for (int e = 0; e < m; e++) {
            double se = Math.sqrt(weight[e]);
            for (int f = 0; f <= e; f++) {
                double v = entry(gInv, g, tail[e], tail[f]) - entry(gInv, g, tail[e], head[f]) - entry(gInv, g, head[e], tail[f])
                        + entry(gInv, g, head[e], head[f]);
                k[e][f] = k[f][e] = se * Math.sqrt(weight[f]) * v;
            }
        }
        return k;
    }

    private static double entry(double[][] g, int ground, int a, int b) {
        return a == ground || b == ground ? 0 : g[a][b];
    }

    /** The conditional oracle (positions = edges in order). */
    public DeterminantalOracle oracle() {
        return new DeterminantalOracle(transferCurrent(), true, description);
    }

    /** Whether x (one 0/1 per edge) is a spanning tree. */
    public boolean isSpanningTree(int[] x) {
        int[] parent = new int[vertices];
        for (int v = 0; v < vertices; v++) parent[v] = v;
        int used = 0;
        for (int e = 0; e < x.length; e++) {
            if (x[e] == 0) continue;
            int a = find(parent, tail[e]), b = find(parent, head[e]);
            if (a == b) return false;
            parent[a] = b;
            used++;
        }
        return used == vertices - 1;
    }
}
