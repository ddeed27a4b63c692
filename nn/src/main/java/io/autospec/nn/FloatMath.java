package io.autospec.nn;

/**
 * float32 transcendentals written from exactly rounded operations only (+, -, *, /, sqrt, fused
 * multiply-add, their double twins, integer and bit manipulation), so that the Java executor and the
 * CUDA kernels agree bit for bit: every function here is the twin of the function of the same name in
 * kernels/nn_math.cuh ({@code nn_exp}, ...), the same operations in the same order (the kernels are
 * compiled with {@code --fmad=false}; Java never fuses). FloatMathTest compares the two over millions
 * of inputs and measures the accuracy against double-precision references (max ulp): exp 0.87, log
 * 0.93, erf 0.98, tanh 1.30, sigmoid 1.69, sin and cos 0.50, sqrt exact, gelu 4.4 (its negative tail);
 * pow with an integer exponent |y| <= 32 about (1 + |y|) 0.75, otherwise (1 + |y log x|) 1.7. NaN
 * results may differ from the device's in their payload bits only.
 *
 * <p>The methods and their order of operations are the specification: change one only together
 * with its twin in nn_math.cuh.
 */
public final class FloatMath {
    private FloatMath() {}

    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float NAN = Float.intBitsToFloat(0x7fc00000);

    private static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }

    private static float fromBits(int b) {
        return Float.intBitsToFloat(b);
    }

    private static float abs(float x) {
        return fromBits(bits(x) & 0x7fffffff);
    }

    private static float copySign(float x, float s) {
        return fromBits((bits(x) & 0x7fffffff) | (bits(s) & 0x80000000));
    }

    private static float fma(float a, float b, float c) {
        return Math.fma(a, b, c);
    }

    // ---------------------------------------------------------------------------------------- exp

    /** exp(x) 2^bias for x in [-150, 89]; see nnm_exp_scaled. */
    private static float expScaled(float x, int bias) {
        final float magic = 0x1.8p23f;
        float j = fma(x, 0x1.715476p+0f, magic);
        float k = j - magic;
        int ki = (bits(j) - bits(magic)) + bias;
        float r = fma(k, -0x1.62e430p-1f, x);
        r = fma(k, 0x1.05c610p-29f, r);
        float p = 0x1.a01a02p-13f;
        p = fma(p, r, 0x1.6c16c2p-10f);
        p = fma(p, r, 0x1.111112p-7f);
        p = fma(p, r, 0x1.555556p-5f);
        p = fma(p, r, 0x1.555556p-3f);
        p = fma(p, r, 0.5f);
        p = fma(p, r, 1.0f);
        p = fma(p, r, 1.0f);
        if (ki >= 128) return p * 0x1p127f * 2.0f;
        if (ki < -126) return p * fromBits((ki + 100 + 127) << 23) * 0x1p-100f;
        return p * fromBits((ki + 127) << 23);
    }

    public static float exp(float x) {
        if (x != x) return x;
        if (x > 89.0f) return INF;
        if (x < -104.0f) return 0.0f;
        return expScaled(x, 0);
    }

    // ---------------------------------------------------------------------------------------- log

    public static float log(float x) {
        if (x != x) return x;
        if (x < 0.0f) return NAN;
        if (x == 0.0f) return -INF;
        int u = bits(x);
        if (u == 0x7f800000) return x;
        int e = 0;
        if (u < 0x00800000) { // subnormal (u >= 0 here)
            u = bits(x * 0x1p23f);
            e = -23;
        }
        e += (u >>> 23) - 127;
        int mb = (u & 0x007fffff) | 0x3f800000;
        if (mb > 0x3fb504f3) {
            mb -= 0x00800000;
            e += 1;
        }
        float f = fromBits(mb) - 1.0f;
        float s = f / (2.0f + f);
        float z = s * s;
        float rr = z * fma(fma(fma(0x1.c71c72p-3f, z, 0x1.24924ap-2f), z, 0x1.99999ap-2f), z, 0x1.555556p-1f);
        float corr = s * (f - rr);
        float dk = (float) e;
        return fma(dk, 0x1.62e430p-1f, fma(dk, -0x1.05c610p-29f, -corr) + f);
    }

    // ---------------------------------------------------------------------------------------- erf

    /** erfc(a + d) 2^bias for a >= 1/2; see nnm_erfc_tail. */
    private static float erfcTail(float a, float d, int bias) {
        if (a >= 10.6f) return 0.0f;
        float t = 1.0f / a;
        float g;
        if (a < 1.0f) {
            float u = a - 0.75f;
            g = 0x1.0abaeep-6f;
            g = fma(g, u, -0x1.08d7a6p-5f);
            g = fma(g, u, 0x1.10bd02p-4f);
            g = fma(g, u, -0x1.09e514p-3f);
            g = fma(g, u, 0x1.d903b0p-3f);
            g = fma(g, u, -0x1.78cdd4p-2f);
            g = fma(g, u, 0x1.038d54p-1f);
        } else if (a < 3.92f) {
            g = 0x1.e39642p-6f;
            g = fma(g, t, -0x1.6213a4p-3f);
            g = fma(g, t, 0x1.af7080p-2f);
            g = fma(g, t, -0x1.06ad04p-1f);
            g = fma(g, t, 0x1.bca6cep-3f);
            g = fma(g, t, 0x1.f0ebd6p-3f);
            g = fma(g, t, -0x1.85947ep-2f);
            g = fma(g, t, 0x1.6210b2p-6f);
            g = fma(g, t, 0x1.1f8d56p-1f);
            g = fma(g, t, 0x1.0f19c2p-13f);
        } else {
            g = -0x1.95602ep-2f;
            g = fma(g, t, 0x1.cd2852p-2f);
            g = fma(g, t, 0x1.04f91cp-6f);
            g = fma(g, t, -0x1.25b6ccp-2f);
            g = fma(g, t, 0x1.2feda4p-11f);
            g = fma(g, t, 0x1.20d8eep-1f);
            g = fma(g, t, 0x1.b8d764p-21f);
        }
        float h = a * a;
        float l = fma(2.0f * a, d, fma(a, a, -h));
        float e = expScaled(-h, bias);
        e = fma(-e, l, e);
        return e * g;
    }

    public static float erf(float x) {
        if (x != x) return x;
        float a = abs(x);
        if (a < 1.0f) {
            float z = x * x;
            float p = 0x1.4771fcp-14f;
            p = fma(p, z, -0x1.a3515ep-11f);
            p = fma(p, z, 0x1.53f224p-8f);
            p = fma(p, z, -0x1.b7f71ap-6f);
            p = fma(p, z, 0x1.ce2ce6p-4f);
            p = fma(p, z, -0x1.81273ep-2f);
            p = fma(p, z, 0x1.06eba8p-3f);
            return fma(x, p, x);
        }
        if (a >= 3.92f) return copySign(1.0f, x);
        return copySign(1.0f - erfcTail(a, 0.0f, 0), x);
    }

    // --------------------------------------------------------------------------------------- tanh

    public static float tanh(float x) {
        if (x != x) return x;
        float a = abs(x);
        if (a < 0.625f) {
            float z = x * x;
            float q = 0x1.a95030p-9f;
            q = fma(q, z, -0x1.300ef0p-7f);
            q = fma(q, z, 0x1.69ec6ap-6f);
            q = fma(q, z, -0x1.ba66a2p-5f);
            q = fma(q, z, 0x1.111206p-3f);
            q = fma(q, z, -0x1.555556p-2f);
            return copySign(fma(a * z, q, a), x);
        }
        float r = a > 9.0f ? 1.0f : 1.0f - 2.0f / (exp(2.0f * a) + 1.0f);
        return copySign(r, x);
    }

    /** num / (1 + e) for 0 <= e <= 1, with the rounding error of 1 + e folded back in. */
    private static float overOnePlus(float num, float e) {
        float d = 1.0f + e;
        float c = (1.0f - d) + e;
        float q = num / d;
        return fma(-q, c / d, q);
    }

    public static float sigmoid(float x) {
        if (x >= 0.0f) return overOnePlus(1.0f, exp(-x));
        if (x != x) return x;
        float e = exp(x);
        return overOnePlus(e, e);
    }

    /** Exactly rounded: float sqrt via double is innocuous double rounding. */
    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    /** x/2 (1 + erf(x / sqrt 2)), the cancelling side through erfc; see nn_gelu. */
    public static float gelu(float x) {
        float t = x * 0.70710677f;
        if (!(t <= -0.5f)) return x * 0.5f * (1.0f + erf(t));
        float d = fma(x, 0.70710677f, -t) + x * 0x1.9fcef4p-27f;
        float e = erfcTail(-t, -d, 64);
        return e == 0.0f ? -0.0f : x * 0.5f * e * 0x1p-64f;
    }

    // ----------------------------------------------------------------------------------- sin, cos

    /** Bits of 2/pi, 32 per word, most significant first; bit 0 is the units bit (0). */
    private static final int[] TWO_OVER_PI = {0x517cc1b7, 0x27220a94, 0xfe13abe8, 0xfa9a6ee0,
                                              0x6db14acc, 0x9e21c820, 0xff28b1d5, 0xef5de2b0};

    private static long twoOverPi32(int w, int sh) {
        long pair = ((TWO_OVER_PI[w] & 0xffffffffL) << 32) | (TWO_OVER_PI[w + 1] & 0xffffffffL);
        return (pair >>> (32 - sh)) & 0xffffffffL;
    }

    /** r with a = (4n + q) pi/2 + r for finite a >= 0; q in quadrant[0]. See nnm_reduce. */
    private static double reduce(float a, int[] quadrant) {
        if (a < 0x1p24f) {
            double d = a;
            final double magic = 0x1.8p52;
            double k = (d * 0x1.45f306dc9c883p-1 + magic) - magic;
            double r = Math.fma(-k, 0x1.921fb54000000p+0, d);
            r = Math.fma(-k, 0x1.10b4611a62633p-30, r);
            quadrant[0] = (int) (long) k & 3;
            return r;
        }
        int u = bits(a);
        int e = (u >>> 23) - 150;
        long m = (u & 0x007fffff) | 0x00800000;
        int s = e - 1;
        int w = s >> 5, sh = s & 31;
        long lo = m * twoOverPi32(w + 2, sh);
        long mid = m * twoOverPi32(w + 1, sh) + (lo >>> 32);
        long hi = m * twoOverPi32(w, sh) + (mid >>> 32);
        long frac = (hi << 34) | ((mid & 0xffffffffL) << 2) | ((lo & 0xffffffffL) >>> 30);
        quadrant[0] = (int) (((hi >>> 30) + (frac >>> 63)) & 3);
        return (double) frac * 0x1p-64 * 0x1.921fb54442d18p+0;
    }

    private static double sinPoly(double r) {
        double z = r * r;
        double p = 0x1.6124613a86d09p-33;
        p = p * z - 0x1.ae64567f544e4p-26;
        p = p * z + 0x1.71de3a556c734p-19;
        p = p * z - 0x1.a01a01a01a01ap-13;
        p = p * z + 0x1.1111111111111p-7;
        p = p * z - 0x1.5555555555555p-3;
        return r + r * z * p;
    }

    private static double cosPoly(double r) {
        double z = r * r;
        double p = 0x1.1eed8eff8d898p-29;
        p = p * z - 0x1.27e4fb7789f5cp-22;
        p = p * z + 0x1.a01a01a01a01ap-16;
        p = p * z - 0x1.6c16c16c16c17p-10;
        p = p * z + 0x1.5555555555555p-5;
        p = p * z - 0.5;
        return 1.0 + z * p;
    }

    public static float sin(float x) {
        if (x != x) return x;
        float a = abs(x);
        if (a == INF) return NAN;
        int[] q = new int[1];
        double r = reduce(a, q);
        double v = (q[0] & 1) != 0 ? cosPoly(r) : sinPoly(r);
        float f = (float) ((q[0] & 2) != 0 ? -v : v);
        return copySign(1.0f, x) < 0.0f ? -f : f;
    }

    public static float cos(float x) {
        if (x != x) return x;
        float a = abs(x);
        if (a == INF) return NAN;
        int[] q = new int[1];
        double r = reduce(a, q);
        double v = (q[0] & 1) != 0 ? sinPoly(r) : cosPoly(r);
        return (float) ((q[0] == 1 || q[0] == 2) ? -v : v);
    }

    // ---------------------------------------------------------------------------------------- pow

    private static boolean isInt(float y) {
        return abs(y) >= 0x1p23f || (float) (int) y == y;
    }

    private static boolean isOdd(float y) {
        return abs(y) < 0x1p24f && ((int) y & 1) != 0;
    }

    /**
     * x^y: integer y with |y| <= 32 by repeated squaring (lowest bit first, then 1/result for y < 0),
     * y = 0.5 as sqrt, otherwise the C99 special cases and exp(y log |x|) with the sign of an odd y.
     */
    public static float pow(float x, float y) {
        if (y == 0.0f || x == 1.0f) return 1.0f;
        if (x != x || y != y) return x + y;
        float ay = abs(y), ax = abs(x);
        if (ay <= 32.0f && isInt(y)) {
            int n = (int) ay;
            float result = 1.0f, base = x;
            for (;;) {
                if ((n & 1) != 0) result *= base;
                n >>>= 1;
                if (n == 0) break;
                base *= base;
            }
            return y < 0.0f ? 1.0f / result : result;
        }
        if (ay == INF) {
            if (ax == 1.0f) return 1.0f;
            return (ax < 1.0f) == (y < 0.0f) ? INF : 0.0f;
        }
        boolean odd = isOdd(y);
        if (ax == 0.0f || ax == INF) {
            float r = (ax == 0.0f) == (y < 0.0f) ? INF : 0.0f;
            return odd ? copySign(r, x) : r;
        }
        if (x < 0.0f && !isInt(y)) return NAN;
        if (y == 0.5f) return sqrt(x);
        float r = exp(y * log(ax));
        return (x < 0.0f && odd) ? -r : r;
    }
}
