package io.autospec.cuda;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftQueries;

/**
 * Host reference denoisers for the device's mixture and box kernels (stand-ins for the diffusion
 * zoo's IsotropicMixture and BoxUniform until the branches merge): plain direct formulas.
 */
final class TestDenoisers {
    private TestDenoisers() {}

    /** Y ~ sum_k w_k N(m_k, s_k^2 I); f by the direct formula (|x - t m_k|^2 computed as is). */
    static final class Mixture implements Denoiser, MixtureSpec {
        final int d, k;
        final double[] w, m, s2;

        Mixture(int d, double[] w, double[] m, double[] s2) {
            this.d = d;
            this.k = w.length;
            this.w = w;
            this.m = m;
            this.s2 = s2;
        }

        @Override
        public int dimension() {
            return d;
        }

        @Override
        public double[] weights() {
            return w.clone();
        }

        @Override
        public double[] means() {
            return m.clone();
        }

        @Override
        public double[] variances() {
            return s2.clone();
        }

        @Override
        public String describe() {
            return "test-mixture(d=" + d + ", K=" + k + ")";
        }

        @Override
        public void denoise(DriftQueries batch, int from, int to, double[] out) {
            double[] logit = new double[k];
            for (int j = from; j < to; j++) {
                double t = batch.time(j);
                int xo = j * d;
                double[] x = batch.points();
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    if (t == 0) {
                        logit[c] = Math.log(w[c]);
                    } else {
                        double dist = 0;
                        for (int i = 0; i < d; i++) {
                            double e = x[xo + i] - t * m[c * d + i];
                            dist += e * e;
                        }
                        logit[c] = Math.log(w[c]) - d / 2.0 * Math.log(s2[c] + 1 / t) - dist / (2 * t * (t * s2[c] + 1));
                    }
                    max = Math.max(max, logit[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) sum += Math.exp(logit[c] - max);
                for (int i = 0; i < d; i++) out[xo + i] = 0;
                for (int c = 0; c < k; c++) {
                    double r = Math.exp(logit[c] - max) / sum;
                    for (int i = 0; i < d; i++) out[xo + i] += r * (m[c * d + i] + s2[c] * x[xo + i]) / (1 + t * s2[c]);
                }
            }
        }
    }

    /** Uniform on a box; f by quadrature ({@link TruncatedNormal}). */
    static final class Box implements Denoiser, BoxSpec {
        final double[] lo, hi;

        Box(double[] lo, double[] hi) {
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public int dimension() {
            return lo.length;
        }

        @Override
        public double[] lower() {
            return lo.clone();
        }

        @Override
        public double[] upper() {
            return hi.clone();
        }

        @Override
        public String describe() {
            return "test-box(d=" + lo.length + ")";
        }

        @Override
        public void denoise(DriftQueries batch, int from, int to, double[] out) {
            int d = lo.length;
            for (int j = from; j < to; j++) {
                for (int i = 0; i < d; i++) out[j * d + i] = TruncatedNormal.boxMean(batch.points()[j * d + i], batch.time(j), lo[i], hi[i]);
            }
        }
    }

    /** A denoiser the device does not know (evaluated on CPU threads by the CUDA backend). */
    static final class Shrink implements Denoiser {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public void denoise(DriftQueries batch, int from, int to, double[] out) {
            for (int j = from; j < to; j++) {
                for (int i = 0; i < 2; i++) out[j * 2 + i] = batch.points()[j * 2 + i] / (1 + batch.time(j));
            }
        }
    }
}
