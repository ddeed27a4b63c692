package io.autospec.nn;

/**
 * float32 transcendentals written from exactly rounded operations only (+, -, *, /, sqrt and fused
 * multiply-add), so that the Java executor and the CUDA kernels (kernels/nn_math.cuh, the same
 * operations in the same order, compiled with --fmad=false) produce the same bits. Every function here
 * has a twin of the same name in nn_math.cuh; the tests compare them over many inputs.
 *
 * PLACEHOLDER: being replaced by the real implementations (see kernels/nn_math.cuh).
 */
public final class FloatMath {
    private FloatMath() {}

    public static float exp(float x) { return (float) StrictMath.exp(x); }

    public static float log(float x) { return (float) StrictMath.log(x); }

    public static float erf(float x) { return (float) org_erf(x); }

    public static float tanh(float x) { return (float) StrictMath.tanh(x); }

    public static float sigmoid(float x) { return 1f / (1f + exp(-x)); }

    public static float sin(float x) { return (float) StrictMath.sin(x); }

    public static float cos(float x) { return (float) StrictMath.cos(x); }

    public static float sqrt(float x) { return (float) Math.sqrt(x); }

    public static float pow(float x, float y) { return (float) StrictMath.pow(x, y); }

    public static float gelu(float x) { return x * 0.5f * (1f + erf(x * 0.70710677f)); }

    private static double org_erf(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }
}
