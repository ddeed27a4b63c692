package io.autospec.ar.models.det;

import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

/**
 * Wilson's algorithm: a weighted uniform spanning tree from loop-erased random walks. Vertices are
 * added in index order; from each vertex not yet in the tree a walk (steps ∝ edge weights) runs
 * until it hits the tree, remembering only the last exit from each vertex (which erases loops), and
 * the remembered path joins the tree. Rooted at the last vertex; the law does not depend on the root.
 */
public final class WilsonSampler implements ExactAnchor {
    private final SpanningTrees graph;
    private final int[] start, incident; // incident edges of vertex v: incident[start[v] .. start[v+1])
    private final double[] totalWeight;

    public WilsonSampler(SpanningTrees graph) {
        this.graph = graph;
        int v = graph.vertices(), m = graph.edges();
        start = new int[v + 1];
        for (int e = 0; e < m; e++) {
            start[graph.tail(e) + 1]++;
            start[graph.head(e) + 1]++;
        }
        for (int i = 0; i < v; i++) start[i + 1] += start[i];
        incident = new int[2 * m];
        int[] fill = start.clone();
        totalWeight = new double[v];
        for (int e = 0; e < m; e++) {
            incident[fill[graph.tail(e)]++] = e;
            incident[fill[graph.head(e)]++] = e;
            totalWeight[graph.tail(e)] += graph.weight(e);
            totalWeight[graph.head(e)] += graph.weight(e);
        }
    }

    @Override
    public String describe() {
        return "wilson";
    }

    @Override
    public int[] sample(long seed, int sample) {
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_SAMPLE, sample, 0);
        int v = graph.vertices();
        boolean[] inTree = new boolean[v];
        int[] exit = new int[v];
        inTree[v - 1] = true;
        int step = 0, block = 0;
        int[] x = new int[graph.edges()];
        for (int s = 0; s < v; s++) {
            int u = s;
            while (!inTree[u]) { // walk, overwriting exits (loop erasure)
                double target = key.uniform(Purpose.DRAFT, block, step) * totalWeight[u];
                if (++step == Integer.MAX_VALUE) {
                    step = 0;
                    block++;
                }
                int e = incident[start[u + 1] - 1];
                for (int i = start[u]; i < start[u + 1]; i++) {
                    target -= graph.weight(incident[i]);
                    if (target < 0) {
                        e = incident[i];
                        break;
                    }
                }
                exit[u] = e;
                u = graph.tail(e) == u ? graph.head(e) : graph.tail(e);
            }
            u = s;
            while (!inTree[u]) { // the loop-erased path joins the tree
                inTree[u] = true;
                int e = exit[u];
                x[e] = 1;
                u = graph.tail(e) == u ? graph.head(e) : graph.tail(e);
            }
        }
        return x;
    }
}
