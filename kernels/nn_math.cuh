// float32 transcendentals for the network kernels, built only from exactly rounded operations
// (+ - * /, sqrtf, fmaf, their double twins, integer and bit manipulation), so that the device, the
// host emulator and the Java executor (io.autospec.nn.FloatMath: the same operations in the same
// order) agree bit for bit. Kernels that include this header are compiled with --fmad=false (host:
// -ffp-contract=off): no multiply-add is fused unless written as fmaf. No libm call, no __expf.
//
// Accuracy, measured by FloatMathTest against double-precision references over ~10^6 inputs (max
// ulp): exp 0.87, log 0.93, erf 0.98, tanh 1.30, sigmoid 1.69, sin and cos 0.50 (double-precision
// reduction, Payne-Hanek from 2^24 on, and polynomial: one final rounding), sqrt exact, gelu 4.4 (in
// its negative tail, through erfc). pow: integer |y| <= 32 by repeated squaring (error up to about
// (1 + |y|) 0.75 ulp), else exp(y log x), whose error grows like (1 + |y log x|) 1.7 ulp.
//
// Polynomial coefficients: native-build/nn_math_fit.py (weighted least-squares fits, rounded to float
// one coefficient at a time); Taylor coefficients where the interval is small enough.
#ifndef NN_MATH_CUH
#define NN_MATH_CUH

#include "as_compat.cuh"
#include <string.h>

AS_HD uint32_t nnm_bits(float f) {
#ifdef __CUDA_ARCH__
    return (uint32_t) __float_as_uint(f);
#else
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
#endif
}

AS_HD float nnm_float(uint32_t u) {
#ifdef __CUDA_ARCH__
    return __uint_as_float(u);
#else
    float f;
    memcpy(&f, &u, 4);
    return f;
#endif
}

#define NNM_INF nnm_float(0x7f800000u)
#define NNM_NAN nnm_float(0x7fc00000u)

AS_HD float nnm_abs(float x) { return nnm_float(nnm_bits(x) & 0x7fffffffu); }

// x with the sign of s.
AS_HD float nnm_copysign(float x, float s) {
    return nnm_float((nnm_bits(x) & 0x7fffffffu) | (nnm_bits(s) & 0x80000000u));
}

// ------------------------------------------------------------------------------------------ exp

// exp(x) 2^bias for x in [-150, 89] (bias >= 0 keeps tiny results normal for callers that scale
// back later): exp(x) = 2^k exp(r), k = round(x / ln 2), r = x - k ln 2 in two parts
// (|r| <= ln2/2), exp(r) by its Taylor polynomial of degree 7 (truncation < 0.1 ulp), 2^(k + bias)
// applied in at most two exact steps.
AS_HD float nnm_exp_scaled(float x, int bias) {
    const float magic = 0x1.8p23f; // 1.5 * 2^23: adding it rounds to an integer
    float j = fmaf(x, 0x1.715476p+0f, magic);
    float k = j - magic;
    int ki = (int) (nnm_bits(j) - nnm_bits(magic)) + bias;
    float r = fmaf(k, -0x1.62e430p-1f, x); // exact: k ln2_hi and x agree in their leading bits
    r = fmaf(k, 0x1.05c610p-29f, r);      // - k ln2_lo
    float p = 0x1.a01a02p-13f;
    p = fmaf(p, r, 0x1.6c16c2p-10f);
    p = fmaf(p, r, 0x1.111112p-7f);
    p = fmaf(p, r, 0x1.555556p-5f);
    p = fmaf(p, r, 0x1.555556p-3f);
    p = fmaf(p, r, 0.5f);
    p = fmaf(p, r, 1.0f);
    p = fmaf(p, r, 1.0f);
    if (ki >= 128) return p * 0x1p127f * 2.0f;
    if (ki < -126) return p * nnm_float((uint32_t) (ki + 100 + 127) << 23) * 0x1p-100f; // one rounding into the subnormals
    return p * nnm_float((uint32_t) (ki + 127) << 23);
}

AS_HD float nn_exp(float x) {
    if (x != x) return x;
    if (x > 89.0f) return NNM_INF;
    if (x < -104.0f) return 0.0f;
    return nnm_exp_scaled(x, 0);
}

// ------------------------------------------------------------------------------------------ log

// log(x) = e ln2 + log(m), m in [sqrt(1/2), sqrt 2); with f = m - 1 (exact) and s = f / (2 + f),
// log(m) = 2 atanh(s) = f - s (f - R), R = 2s^2/3 + 2s^4/5 + 2s^6/7 + 2s^8/9 (|s| < 0.172: the
// neglected terms are below 1e-9 relative).
AS_HD float nn_log(float x) {
    if (x != x) return x;
    if (x < 0.0f) return NNM_NAN;
    if (x == 0.0f) return -NNM_INF;
    uint32_t u = nnm_bits(x);
    if (u == 0x7f800000u) return x;
    int e = 0;
    if (u < 0x00800000u) { // subnormal: scale into the normal range
        u = nnm_bits(x * 0x1p23f);
        e = -23;
    }
    e += (int) (u >> 23) - 127;
    uint32_t mb = (u & 0x007fffffu) | 0x3f800000u;
    if (mb > 0x3fb504f3u) { // m > sqrt 2: use m / 2
        mb -= 0x00800000u;
        e += 1;
    }
    float f = nnm_float(mb) - 1.0f;
    float s = f / (2.0f + f);
    float z = s * s;
    float R = z * fmaf(fmaf(fmaf(0x1.c71c72p-3f, z, 0x1.24924ap-2f), z, 0x1.99999ap-2f), z, 0x1.555556p-1f);
    float corr = s * (f - R);
    float dk = (float) e;
    return fmaf(dk, 0x1.62e430p-1f, fmaf(dk, -0x1.05c610p-29f, -corr) + f);
}

// ------------------------------------------------------------------------------------------ erf

// erfc(a + d) 2^bias for a >= 1/2, a small correction d (|d| <= ulp(a)) and bias 0 or 64 (which keeps
// the value normal where erfc is not): exp(-(a + d)^2) g(1/a), where
// g is fitted to erfc(x) exp(x^2) (on [1/2, 1] in x - 3/4; on [1, 3.92] and [3.92, 10.6] in 1/x) and
// (a + d)^2 = h + l with h = a*a, l = fma(a, a, -h) + 2ad, exp(-h - l) = exp(-h) (1 - l). Beyond 10.6
// erfc is below half the least subnormal.
AS_HD float nnm_erfc_tail(float a, float d, int bias) {
    if (a >= 10.6f) return 0.0f;
    float t = 1.0f / a;
    float g;
    if (a < 1.0f) {
        float u = a - 0.75f;
        g = 0x1.0abaeep-6f;
        g = fmaf(g, u, -0x1.08d7a6p-5f);
        g = fmaf(g, u, 0x1.10bd02p-4f);
        g = fmaf(g, u, -0x1.09e514p-3f);
        g = fmaf(g, u, 0x1.d903b0p-3f);
        g = fmaf(g, u, -0x1.78cdd4p-2f);
        g = fmaf(g, u, 0x1.038d54p-1f);
    } else if (a < 3.92f) {
        g = 0x1.e39642p-6f;
        g = fmaf(g, t, -0x1.6213a4p-3f);
        g = fmaf(g, t, 0x1.af7080p-2f);
        g = fmaf(g, t, -0x1.06ad04p-1f);
        g = fmaf(g, t, 0x1.bca6cep-3f);
        g = fmaf(g, t, 0x1.f0ebd6p-3f);
        g = fmaf(g, t, -0x1.85947ep-2f);
        g = fmaf(g, t, 0x1.6210b2p-6f);
        g = fmaf(g, t, 0x1.1f8d56p-1f);
        g = fmaf(g, t, 0x1.0f19c2p-13f);
    } else {
        g = -0x1.95602ep-2f;
        g = fmaf(g, t, 0x1.cd2852p-2f);
        g = fmaf(g, t, 0x1.04f91cp-6f);
        g = fmaf(g, t, -0x1.25b6ccp-2f);
        g = fmaf(g, t, 0x1.2feda4p-11f);
        g = fmaf(g, t, 0x1.20d8eep-1f);
        g = fmaf(g, t, 0x1.b8d764p-21f);
    }
    float h = a * a;
    float l = fmaf(2.0f * a, d, fmaf(a, a, -h));
    float e = nnm_exp_scaled(-h, bias);
    e = fmaf(-e, l, e);
    return e * g;
}

// |x| < 1: erf(x) = x + x P(x^2) (fitted on [0, 1]); 1 <= |x| < 3.92: 1 - erfc(|x|); beyond, erf
// rounds to +-1.
AS_HD float nn_erf(float x) {
    if (x != x) return x;
    float a = nnm_abs(x);
    if (a < 1.0f) {
        float z = x * x;
        float p = 0x1.4771fcp-14f;
        p = fmaf(p, z, -0x1.a3515ep-11f);
        p = fmaf(p, z, 0x1.53f224p-8f);
        p = fmaf(p, z, -0x1.b7f71ap-6f);
        p = fmaf(p, z, 0x1.ce2ce6p-4f);
        p = fmaf(p, z, -0x1.81273ep-2f);
        p = fmaf(p, z, 0x1.06eba8p-3f);
        return fmaf(x, p, x);
    }
    if (a >= 3.92f) return nnm_copysign(1.0f, x);
    return nnm_copysign(1.0f - nnm_erfc_tail(a, 0.0f, 0), x);
}

// ----------------------------------------------------------------------------------------- tanh

// |x| < 0.625: x + x^3 Q(x^2) (fitted); above, 1 - 2 / (exp(2|x|) + 1); beyond 9 it rounds to +-1.
AS_HD float nn_tanh(float x) {
    if (x != x) return x;
    float a = nnm_abs(x);
    if (a < 0.625f) {
        float z = x * x;
        float q = 0x1.a95030p-9f;
        q = fmaf(q, z, -0x1.300ef0p-7f);
        q = fmaf(q, z, 0x1.69ec6ap-6f);
        q = fmaf(q, z, -0x1.ba66a2p-5f);
        q = fmaf(q, z, 0x1.111206p-3f);
        q = fmaf(q, z, -0x1.555556p-2f);
        return nnm_copysign(fmaf(a * z, q, a), x); // odd, -0 included
    }
    float r = a > 9.0f ? 1.0f : 1.0f - 2.0f / (nn_exp(2.0f * a) + 1.0f);
    return nnm_copysign(r, x);
}

// num / (1 + e) for 0 <= e <= 1, with the rounding error of 1 + e folded back in (1 + e = d + c
// exactly, num / (d + c) = q (1 - c / d)).
AS_HD float nnm_over_one_plus(float num, float e) {
    float d = 1.0f + e;
    float c = (1.0f - d) + e;
    float q = num / d;
    return fmaf(-q, c / d, q);
}

// 1 / (1 + exp(-x)); for x < 0 as e / (1 + e), e = exp(x), so tiny results keep their bits.
AS_HD float nn_sigmoid(float x) {
    if (x >= 0.0f) return nnm_over_one_plus(1.0f, nn_exp(-x));
    if (x != x) return x;
    float e = nn_exp(x);
    return nnm_over_one_plus(e, e);
}

// Exactly rounded (IEEE): the same as Java's (float) Math.sqrt(x).
AS_HD float nn_sqrt(float x) { return sqrtf(x); }

// x/2 (1 + erf(x / sqrt 2)). Where erf(x / sqrt 2) < -0.52 the sum cancels, so there 1 + erf(t) is
// computed as erfc(-t), with x / sqrt 2 carried to twice float precision into the exponent.
AS_HD float nn_gelu(float x) {
    float t = x * 0.70710677f;
    if (!(t <= -0.5f)) return x * 0.5f * (1.0f + nn_erf(t));
    float d = fmaf(x, 0.70710677f, -t) + x * 0x1.9fcef4p-27f; // x / sqrt 2 = t + d
    float e = nnm_erfc_tail(-t, -d, 64);
    return e == 0.0f ? -0.0f : x * 0.5f * e * 0x1p-64f; // -0 also for x = -inf (the limit, not inf * 0)
}

// ------------------------------------------------------------------------------------- sin, cos

AS_HD uint64_t nnm_dbits(double d) {
#ifdef __CUDA_ARCH__
    return (uint64_t) __double_as_longlong(d);
#else
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
#endif
}

// Bits of 2/pi, 32 per word, most significant first; bit 0 is the units bit (0). One copy in
// constant memory for the device, one for the host compilation of the same functions.
#define NNM_TWO_OVER_PI_WORDS 0x517cc1b7u, 0x27220a94u, 0xfe13abe8u, 0xfa9a6ee0u, \
                              0x6db14accu, 0x9e21c820u, 0xff28b1d5u, 0xef5de2b0u
#ifdef __CUDACC__
__constant__ uint32_t nnm_two_over_pi_device[8] = {NNM_TWO_OVER_PI_WORDS};
#endif
static const uint32_t nnm_two_over_pi_host[8] = {NNM_TWO_OVER_PI_WORDS};

AS_HD uint32_t nnm_two_over_pi_word(int w) {
#ifdef __CUDA_ARCH__
    return nnm_two_over_pi_device[w];
#else
    return nnm_two_over_pi_host[w];
#endif
}

// 32 bits of 2/pi starting at bit 32 w + sh (0 <= sh < 32).
AS_HD uint64_t nnm_two_over_pi32(int w, int sh) {
    uint64_t pair = ((uint64_t) nnm_two_over_pi_word(w) << 32) | nnm_two_over_pi_word(w + 1);
    return (pair >> (32 - sh)) & 0xffffffffu;
}

// For finite a >= 0: r (double) and the quadrant q with a = (4n + q) pi/2 + r, |r| <= pi/4 (about).
// Below 2^24: k = round(a 2/pi) and a - k pi/2 with pi/2 in two parts (the first of 28 bits, so
// k pi2_hi is exact and a - k pi2_hi too). From 2^24 on (a = m 2^e, e >= 1): a 2/pi mod 4 from a
// 96-bit window of 2/pi starting at bit e - 1 (the earlier bits contribute multiples of 4), in
// 64-bit integer arithmetic (Payne-Hanek).
AS_HD double nnm_reduce(float a, int* q) {
    if (a < 0x1p24f) {
        double d = a;
        const double magic = 0x1.8p52;
        double k = (d * 0x1.45f306dc9c883p-1 + magic) - magic;
        double r = fma(-k, 0x1.921fb54000000p+0, d);
        r = fma(-k, 0x1.10b4611a62633p-30, r);
        *q = (int) (long long) k & 3;
        return r;
    }
    uint32_t u = nnm_bits(a);
    int e = (int) (u >> 23) - 150;
    uint64_t m = (u & 0x007fffffu) | 0x00800000u;
    int s = e - 1;
    int w = s >> 5, sh = s & 31;
    uint64_t lo = m * nnm_two_over_pi32(w + 2, sh);
    uint64_t mid = m * nnm_two_over_pi32(w + 1, sh) + (lo >> 32);
    uint64_t hi = m * nnm_two_over_pi32(w, sh) + (mid >> 32);
    // product bits 95..94: the quadrant; 93..30: the fraction (as a signed value: in [-1/2, 1/2))
    uint64_t frac = (hi << 34) | ((mid & 0xffffffffu) << 2) | ((lo & 0xffffffffu) >> 30);
    *q = (int) (((hi >> 30) + (frac >> 63)) & 3);
    return (double) (long long) frac * 0x1p-64 * 0x1.921fb54442d18p+0;
}

// Taylor polynomials on |r| <= pi/4 in double (truncation < 1e-13): one rounding to float at the end.
AS_HD double nnm_sin_poly(double r) {
    double z = r * r;
    double p = 0x1.6124613a86d09p-33;
    p = p * z - 0x1.ae64567f544e4p-26;
    p = p * z + 0x1.71de3a556c734p-19;
    p = p * z - 0x1.a01a01a01a01ap-13;
    p = p * z + 0x1.1111111111111p-7;
    p = p * z - 0x1.5555555555555p-3;
    return r + r * z * p;
}

AS_HD double nnm_cos_poly(double r) {
    double z = r * r;
    double p = 0x1.1eed8eff8d898p-29;
    p = p * z - 0x1.27e4fb7789f5cp-22;
    p = p * z + 0x1.a01a01a01a01ap-16;
    p = p * z - 0x1.6c16c16c16c17p-10;
    p = p * z + 0x1.5555555555555p-5;
    p = p * z - 0.5;
    return 1.0 + z * p;
}

AS_HD float nn_sin(float x) {
    if (x != x) return x;
    float a = nnm_abs(x);
    if (a == NNM_INF) return NNM_NAN;
    int q;
    double r = nnm_reduce(a, &q);
    double v = (q & 1) ? nnm_cos_poly(r) : nnm_sin_poly(r);
    float f = (float) ((q & 2) ? -v : v);
    return nnm_copysign(1.0f, x) < 0.0f ? -f : f; // odd, -0 included
}

AS_HD float nn_cos(float x) {
    if (x != x) return x;
    float a = nnm_abs(x);
    if (a == NNM_INF) return NNM_NAN;
    int q;
    double r = nnm_reduce(a, &q);
    double v = (q & 1) ? nnm_sin_poly(r) : nnm_cos_poly(r);
    return (float) ((q == 1 || q == 2) ? -v : v);
}

// -------------------------------------------------------------------------------------------- pow

// Whether y (finite) is an integer, and whether an odd one.
AS_HD bool nnm_is_int(float y) { return nnm_abs(y) >= 0x1p23f || (float) (int) y == y; }
AS_HD bool nnm_is_odd(float y) { return nnm_abs(y) < 0x1p24f && ((int) y & 1) != 0; }

// x^y. Integer y with |y| <= 32: repeated squaring (lowest bit first), then 1/result for y < 0;
// this also gives the special cases for x = +-0, +-inf, NaN. y = 0.5: sqrt. Otherwise the C99
// special cases, then exp(y log |x|) with the sign of an odd integer y.
AS_HD float nn_pow(float x, float y) {
    if (y == 0.0f || x == 1.0f) return 1.0f;
    if (x != x || y != y) return x + y;
    float ay = nnm_abs(y), ax = nnm_abs(x);
    if (ay <= 32.0f && nnm_is_int(y)) {
        unsigned n = (unsigned) (int) ay;
        float result = 1.0f, base = x;
        for (;;) {
            if (n & 1u) result *= base;
            n >>= 1;
            if (n == 0) break;
            base *= base;
        }
        return y < 0.0f ? 1.0f / result : result;
    }
    if (ay == NNM_INF) {
        if (ax == 1.0f) return 1.0f;
        return (ax < 1.0f) == (y < 0.0f) ? NNM_INF : 0.0f;
    }
    bool odd = nnm_is_odd(y);
    if (ax == 0.0f || ax == NNM_INF) {
        float r = (ax == 0.0f) == (y < 0.0f) ? NNM_INF : 0.0f;
        return odd ? nnm_copysign(r, x) : r;
    }
    if (x < 0.0f && !nnm_is_int(y)) return NNM_NAN;
    if (y == 0.5f) return sqrtf(x);
    float r = nn_exp(y * nn_log(ax));
    return (x < 0.0f && odd) ? -r : r;
}

#endif
