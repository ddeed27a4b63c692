package io.autospec.ar.models.det;

import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

/**
 * The spectral sampler of an L-ensemble (Hough, Krishnapur, Peres, Virág; as in DPPy): keep
 * eigenvector j with probability λ_j / (1 + λ_j), then sample the projection DPP of the kept
 * vectors V (N x m) item by item by the chain rule, updating the projection kernel's diagonal with
 * one Gram-Schmidt column per pick: O(N m^2) per sample.
 */
public final class SpectralDppSampler implements ExactAnchor {
    private final LEnsemble ensemble;
    private final double[] lambda;
    private final double[][] vectors;

    public SpectralDppSampler(LEnsemble ensemble) {
        this.ensemble = ensemble;
        this.lambda = ensemble.eigenvalues();
        this.vectors = new double[lambda.length][];
        for (int j = 0; j < lambda.length; j++) vectors[j] = ensemble.eigenvector(j);
    }

    @Override
    public String describe() {
        return "spectral";
    }

    @Override
    public int[] sample(long seed, int sample) {
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_SAMPLE, sample, 0);
        int n = ensemble.size();
        int m = 0;
        int[] kept = new int[lambda.length];
        for (int j = 0; j < lambda.length; j++) {
            if (key.uniform(Purpose.ACCEPT, j, 0) < lambda[j] / (1 + lambda[j])) kept[m++] = j;
        }
        double[][] v = new double[n][m]; // rows of the kept eigenvectors
        double[] norms = new double[n];  // K_ii of the projection kernel, conditioned on the picks so far
        for (int t = 0; t < m; t++) {
            double[] vec = vectors[kept[t]];
            for (int i = 0; i < n; i++) {
                v[i][t] = vec[i];
                norms[i] += vec[i] * vec[i];
            }
        }
        double[][] c = new double[m][]; // Gram-Schmidt columns: c[t][i]
        int[] picked = new int[m];
        int[] x = new int[n];
        for (int t = 0; t < m; t++) {
            double total = 0;
            for (int i = 0; i < n; i++) total += Math.max(0, norms[i]);
            double target = key.uniform(Purpose.DRAFT, t, 0) * total;
            int j = -1;
            for (int i = 0; i < n; i++) {
                double w = Math.max(0, norms[i]);
                if (w > 0) j = i;
                target -= w;
                if (target < 0 && w > 0) break;
            }
            picked[t] = j;
            x[j] = 1;
            // column t: (K e_j - Σ_{s<t} c_s c_s[j]) / sqrt(norm_j), with K = V V^T
            double[] col = new double[n];
            double[] vj = v[j];
            for (int i = 0; i < n; i++) {
                double s = 0;
                double[] vi = v[i];
                for (int a = 0; a < m; a++) s += vi[a] * vj[a];
                col[i] = s;
            }
            for (int s = 0; s < t; s++) {
                double f = c[s][j];
                for (int i = 0; i < n; i++) col[i] -= f * c[s][i];
            }
            double inv = 1 / Math.sqrt(norms[j]);
            for (int i = 0; i < n; i++) {
                col[i] *= inv;
                norms[i] -= col[i] * col[i];
            }
            norms[j] = 0;
            c[t] = col;
        }
        return x;
    }
}
