// Denoisers of the diffusion zoo (io.autospec.diffusion.models):
//
// IsotropicMixture: Y ~ sum_k w_k N(m_k, s_k^2 I) (atoms: s_k = 0). With G[b,k] = <x_b, m_k> (the
// inner-product kernel below), the posterior weights are a softmax over
//   log w_k - d/2 log(s_k^2 + 1/t) - (|x|^2 - 2t<x,m_k> + t^2|m_k|^2) / (2t(t s_k^2 + 1)),
// evaluated as log w_k - d/2 log(s_k^2 + 1/t) - a_k (t^2|m_k|^2 - 2t G) - (a_k - a_0)|x|^2 with
// a_k = 1/(2t(t s_k^2 + 1)) (the dropped -a_0|x|^2 is the same for every k, so the softmax is
// unchanged, and for equal variances, atoms included, |x|^2 cancels exactly). The drift is
//   f = sum_k r_k (m_k + s_k^2 x) / (1 + t s_k^2) = M^T W + c x,  W[b,k] = r_k / (1 + t s_k^2),
//   c_b = sum_k r_k s_k^2 / (1 + t s_k^2),
// the first term a second product (the mean kernel). t = 0: r = w (the mixture mean when x = 0).
// Both products are plain kernels, one output entry per item with its sum in index order (no cuBLAS:
// a driver-only host runs them, and the result does not depend on a library's blocking). For d and K
// up to a few hundred each item is a short loop over L2-resident means.
//
// BoxUniform: per coordinate, the mean of N(x/t, 1/t) truncated to [lo, hi]; t = 0: the midpoint.
#ifndef AS_DIFFUSION_KERNELS_CUH
#define AS_DIFFUSION_KERNELS_CUH

#include "as_compat.cuh"

// G[b, k] = <x_b, m_k>, item (b, k).
struct MixtureInnerArgs {
    long long count;       // B x K
    const double* points;  // B x d
    const double* means;   // K x d
    double* inner;         // B x K
    int32_t K, d;
};
AS_ASSERT_SIZE(MixtureInnerArgs, 40);

AS_HD void as_mixture_inner_item(const MixtureInnerArgs& a, long long i) {
    long long b = i / a.K;
    int k = (int) (i - b * a.K), d = a.d;
    const double* x = a.points + b * d;
    const double* m = a.means + (long long) k * d;
    double s = 0;
    for (int c = 0; c < d; c++) s += x[c] * m[c];
    a.inner[i] = s;
}

struct MixtureWeightsArgs {
    long long count;            // B queries
    const double* times;        // B
    const double* points;       // B x d
    const double* inner;        // B x K (row b contiguous): <x_b, m_k>
    const double* logWeights;   // K
    const double* variances;    // K
    const double* meanNorms;    // K: |m_k|^2
    double* weights;            // B x K out: r_k / (1 + t s_k^2)
    double* scale;              // B out: c_b
    int32_t K, d;
};
AS_ASSERT_SIZE(MixtureWeightsArgs, 80);

AS_HD void as_mixture_weights_item(const MixtureWeightsArgs& a, long long b) {
    int K = a.K, d = a.d;
    double t = a.times[b];
    double* row = a.weights + b * K;
    if (t == 0) {
        for (int k = 0; k < K; k++) row[k] = a.logWeights[k];
    } else {
        const double* x = a.points + b * d;
        const double* g = a.inner + b * K;
        double xx = 0;
        for (int c = 0; c < d; c++) xx += x[c] * x[c];
        double a0 = 1.0 / (2.0 * t * (t * a.variances[0] + 1.0));
        for (int k = 0; k < K; k++) {
            double s2 = a.variances[k];
            double ak = 1.0 / (2.0 * t * (t * s2 + 1.0));
            row[k] = a.logWeights[k] - 0.5 * d * log(s2 + 1.0 / t) - ak * (t * t * a.meanNorms[k] - 2.0 * t * g[k])
                    - (ak - a0) * xx;
        }
    }
    double max = -INFINITY;
    for (int k = 0; k < K; k++) max = fmax(max, row[k]);
    double sum = 0;
    for (int k = 0; k < K; k++) {
        double e = exp(row[k] - max);
        row[k] = e;
        sum += e;
    }
    double c = 0;
    for (int k = 0; k < K; k++) {
        double r = row[k] / sum;
        double den = 1.0 + t * a.variances[k];
        row[k] = r / den;
        c += r * a.variances[k] / den;
    }
    a.scale[b] = c;
}

// out[b, c] = sum_k W[b, k] m_k[c] + c_b x_b[c], item (b, c).
struct MixtureMeanArgs {
    long long count;         // B x d
    const double* points;    // B x d
    const double* scale;     // B
    const double* weights;   // B x K
    const double* means;     // K x d
    double* out;             // B x d
    int32_t K, d;
};
AS_ASSERT_SIZE(MixtureMeanArgs, 56);

AS_HD void as_mixture_mean_item(const MixtureMeanArgs& a, long long i) {
    long long b = i / a.d;
    int c = (int) (i - b * a.d), K = a.K, d = a.d;
    const double* w = a.weights + b * K;
    double s = 0;
    for (int k = 0; k < K; k++) s += w[k] * a.means[(long long) k * d + c];
    a.out[i] = s + a.scale[b] * a.points[i];
}

// erfcx(x) = exp(x^2) erfc(x) for x >= 0: directly while erfc(x) is a normal double (x^2 split
// exactly with fma so exp sees no rounding of x^2), else the asymptotic series.
AS_HD double as_erfcx(double x) {
    if (x < 26.0) {
        double x2 = x * x;
        double err = fma(x, x, -x2);
        return exp(x2) * erfc(x) * (1.0 + err);
    }
    double inv2 = 1.0 / (2.0 * x * x);
    double term = 1.0, sum = 1.0;
    for (int n = 1; n <= 12; n++) {
        term *= -(2.0 * n - 1.0) * inv2;
        sum += term;
    }
    return sum / (x * 1.7724538509055160273); // sqrt(pi)
}

// Mills ratio Q(z) / phi(z) for z >= 0.
AS_HD double as_mills(double z) {
    return as_erfcx(z * 0.70710678118654752440) * 1.2533141373155002512; // sqrt(pi / 2)
}

// Gauss-Legendre (16 points on [-1, 1], symmetric) moments of a smooth weight on [c - h, c + h]:
// s0 = sum w_i f(c + h x_i), s1 = sum w_i f(c + h x_i) h x_i, for f(c + u) = exp(-(a u + u^2 / 2)).
// Exact to rounding when the weight varies by at most a few e-folds over the interval.
AS_HD void as_gl_moments(double h, double a, double* s0, double* s1) {
    const double x[8] = {0.09501250983763744, 0.2816035507792589, 0.45801677765722737, 0.6178762444026438,
                         0.755404408355003, 0.8656312023878318, 0.9445750230732326, 0.9894009349916499};
    const double w[8] = {0.18945061045506864, 0.18260341504492364, 0.16915651939500265, 0.1495959888165767,
                         0.12462897125553407, 0.0951585116824926, 0.062253523938647456, 0.027152459411754176};
    double m0 = 0, m1 = 0;
    for (int i = 0; i < 8; i++) {
        double u = h * x[i];
        double fp = w[i] * exp(-u * (a + 0.5 * u)), fm = w[i] * exp(u * (a - 0.5 * u));
        m0 += fp + fm;
        m1 += (fp - fm) * u;
    }
    *s0 = m0;
    *s1 = m1;
}

// The mean of a standard normal truncated to [lo, hi], 0 <= lo < hi <= inf. With
// E = (hi^2 - lo^2) / 2, the density falls by e^-E across the interval: for E < 2 the closed form
// cancels (1 - e^-E and the Mills-ratio difference), so the mean is integrated directly; otherwise
// (phi(lo) - phi(hi)) / (Q(lo) - Q(hi)) = (1 - e^-E) / (M(lo) - e^-E M(hi)) has no cancellation.
AS_HD double as_trunc_upper_mean(double lo, double hi) {
    if (hi == INFINITY) return 1.0 / as_mills(lo);
    double width = hi - lo;
    double e = 0.5 * width * (hi + lo);
    if (e < 2.0) {
        double h = 0.5 * width, c = lo + h, s0, s1;
        as_gl_moments(h, c, &s0, &s1); // density relative to phi(c): exp(-(c u + u^2/2))
        return c + s1 / s0;
    }
    return -expm1(-e) / (as_mills(lo) - exp(-e) * as_mills(hi));
}

// The mean of a standard normal truncated to [lo, hi], lo < hi.
AS_HD double as_trunc_std_mean(double lo, double hi) {
    if (lo >= 0) return as_trunc_upper_mean(lo, hi);
    if (hi <= 0) return -as_trunc_upper_mean(-hi, -lo);
    if (hi - lo < 2.0) { // narrow, around 0: the erf difference would cancel
        double h = 0.5 * (hi - lo), c = lo + h, s0, s1;
        as_gl_moments(h, c, &s0, &s1);
        return c + s1 / s0;
    }
    double num = (exp(-0.5 * lo * lo) - exp(-0.5 * hi * hi)) * 0.39894228040143267794; // 1/sqrt(2 pi)
    double den = 0.5 * (erf(hi * 0.70710678118654752440) - erf(lo * 0.70710678118654752440));
    return num / den;
}

// E[Y | Y + g = x/t] for Y uniform on [lo, hi] and g ~ N(0, 1/t): the mean of N(x/t, 1/t) on [lo, hi].
AS_HD double as_box_mean(double x, double t, double lo, double hi) {
    if (t == 0) return 0.5 * (lo + hi);
    double sd = sqrt(t); // 1 / sigma
    double mu = x / t;
    return mu + as_trunc_std_mean((lo - mu) * sd, (hi - mu) * sd) / sd;
}

struct BoxArgs {
    long long count;       // B x d
    const double* times;   // B
    const double* points;  // B x d
    const double* lo;      // d
    const double* hi;      // d
    double* out;           // B x d
    int32_t d, pad;
};
AS_ASSERT_SIZE(BoxArgs, 56);

AS_HD void as_box_item(const BoxArgs& a, long long i) {
    long long b = i / a.d;
    int c = (int) (i - b * a.d);
    a.out[i] = as_box_mean(a.points[i], a.times[b], a.lo[c], a.hi[c]);
}

#define AS_DIFFUSION_KERNELS(X)                   \
    X(as_mixture_inner, MixtureInnerArgs)         \
    X(as_mixture_weights, MixtureWeightsArgs)     \
    X(as_mixture_mean, MixtureMeanArgs)           \
    X(as_box, BoxArgs)

#endif
