package io.autospec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatMath} against its device twin kernels/nn_math.cuh (compiled for the host by
 * {@link NativeMathBuild}), bit for bit, over about 10^6 inputs: random bit patterns, special values
 * (zeros, subnormals, infinities, NaN, the functions' own thresholds), dense runs of consecutive floats
 * around 0, +-1 and the thresholds, ordinary ranges and huge arguments. And the accuracy of
 * FloatMath against double-precision references (StrictMath, a double erf/erfc below), in ulps of
 * the float result, each bound asserted.
 */
class FloatMathTest {

    private static final String[] UNARY = {"exp", "log", "erf", "tanh", "sigmoid", "sin", "cos", "sqrt", "gelu"};

    private static float unary(int f, float x) {
        return switch (f) {
            case 0 -> FloatMath.exp(x);
            case 1 -> FloatMath.log(x);
            case 2 -> FloatMath.erf(x);
            case 3 -> FloatMath.tanh(x);
            case 4 -> FloatMath.sigmoid(x);
            case 5 -> FloatMath.sin(x);
            case 6 -> FloatMath.cos(x);
            case 7 -> FloatMath.sqrt(x);
            case 8 -> FloatMath.gelu(x);
            default -> throw new IllegalArgumentException();
        };
    }

    // ------------------------------------------------------------------------------------ inputs

    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        0x1.fffffcp-127f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        1f, -1f, 0.5f, -0.5f, 2f, -2f, 3f, -3f, 0.25f, 10f, 88.72283f, 88.72284f, 89f, -87.33655f, -103.97208f, -104f,
        3.92f, -3.92f, 10.6f, -10.6f, -14.99f, -15f, 0.625f, -0.625f, 9f, 0x1p23f, 0x1p24f, 0x1.fffffep23f, 1e30f, -1e30f,
        (float) Math.PI, (float) (Math.PI / 2), (float) (Math.PI / 4), 1.4142135f, 0.70710677f, 1.5f, -1.5f, 32f, -32f, 33f, 0.75f};

    /** Where behaviour changes: dense runs of consecutive floats are tested around these. */
    private static final float[] EDGES = {0f, 1f, -1f, 0.5f, -0.5f, 0.625f, -0.625f, 3.92f, -3.92f, 10.6f, 9f, 88.72283f,
        -103.97208f, -104f, 89f, -87.33655f, 1.4142135f, 0.70710677f, -0.70710677f, -1.4142135f, (float) (Math.PI / 4),
        (float) Math.PI, 0x1p24f, Float.MIN_NORMAL, 2f};

    /** {x, y} inputs (y is pow's exponent), deterministic. */
    static float[][] inputs() {
        List<float[]> pairs = new ArrayList<>();
        for (float x : SPECIAL) for (float y : SPECIAL) pairs.add(new float[] {x, y});
        SplittableRandom rnd = new SplittableRandom(20261207);
        for (float e : EDGES) {
            int b = Float.floatToRawIntBits(e);
            for (int d = -3000; d <= 3000; d++) {
                float x = e == 0f ? Float.intBitsToFloat(Math.abs(d) | (d < 0 ? 0x80000000 : 0)) : Float.intBitsToFloat(b + d);
                pairs.add(new float[] {x, exponent(rnd)});
            }
        }
        for (int i = 0; i < 400_000; i++) pairs.add(new float[] {Float.intBitsToFloat(rnd.nextInt()), exponent(rnd)});
        for (int i = 0; i < 200_000; i++) pairs.add(new float[] {(float) rnd.nextDouble(-20, 20), exponent(rnd)});
        for (int i = 0; i < 100_000; i++) pairs.add(new float[] {(float) rnd.nextDouble(-2, 2), exponent(rnd)});
        for (int i = 0; i < 100_000; i++) pairs.add(new float[] {(float) rnd.nextDouble(-1e-3, 1e-3), exponent(rnd)});
        for (int i = 0; i < 100_000; i++) {
            float x = (float) Math.pow(10, rnd.nextDouble(0, 38.5));
            pairs.add(new float[] {rnd.nextBoolean() ? x : -x, exponent(rnd)});
        }
        float[][] xy = new float[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            xy[0][i] = pairs.get(i)[0];
            xy[1][i] = pairs.get(i)[1];
        }
        return xy;
    }

    private static float exponent(SplittableRandom rnd) {
        int k = rnd.nextInt(20);
        if (k < 5) return rnd.nextInt(-40, 41);
        if (k < 7) return rnd.nextInt(-20, 21) + 0.5f;
        if (k < 8) return 0.5f;
        if (k < 16) return (float) rnd.nextDouble(-8, 8);
        return Float.intBitsToFloat(rnd.nextInt());
    }

    // ---------------------------------------------------------------------------- bit identity

    /** The device math's results: rows exp, log, erf, tanh, sigmoid, sin, cos, sqrt, gelu, pow. */
    private static float[][] deviceResults(float[][] xy) throws IOException, InterruptedException {
        NativeMathBuild.Result r = NativeMathBuild.driver();
        Assumptions.assumeTrue(r.executable() != null, () -> "nn_math.cuh bit comparison skipped: " + r.reason());
        int n = xy[0].length;
        Path in = Files.createTempFile("nn-math-in", ".bin"), out = Files.createTempFile("nn-math-out", ".bin");
        try {
            ByteBuffer b = ByteBuffer.allocate(4 + 8 * n).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(n);
            for (float v : xy[0]) b.putFloat(v);
            for (float v : xy[1]) b.putFloat(v);
            Files.write(in, b.array());
            Process p = new ProcessBuilder(r.executable().toString(), in.toString(), out.toString()).inheritIO().start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nn_math_driver timed out");
            assertEquals(0, p.exitValue(), "nn_math_driver exit status");
            ByteBuffer o = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(40L * n, o.remaining(), "nn_math_driver output size");
            float[][] res = new float[10][n];
            for (float[] row : res) for (int i = 0; i < n; i++) row[i] = o.getFloat();
            return res;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** Same bits, or both NaN (payloads may differ between devices). */
    private static boolean same(float a, float b) {
        return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b) || (a != a && b != b);
    }

    @FunctionalInterface
    interface FloatFn {
        float apply(float x, float y);
    }

    /** Inputs where {@code java} and the device row differ, as "f(x) = java vs device" lines (at most 5). */
    private static List<String> mismatches(String name, FloatFn java, float[] device, float[][] xy, int[] count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < device.length; i++) {
            float j = java.apply(xy[0][i], xy[1][i]);
            if (!same(j, device[i])) {
                count[0]++;
                if (out.size() < 5) out.add(String.format("%s(%a, %a) = %a in Java, %a on the device", name, xy[0][i], xy[1][i], j, device[i]));
            }
        }
        return out;
    }

    @Test
    void javaAndDeviceMathGiveTheSameBits() throws Exception {
        float[][] xy = inputs();
        assertTrue(xy[0].length > 900_000, "about 10^6 inputs");
        float[][] device = deviceResults(xy);
        List<String> bad = new ArrayList<>();
        int[] count = {0};
        for (int f = 0; f < UNARY.length; f++) {
            int ff = f;
            bad.addAll(mismatches(UNARY[f], (x, y) -> unary(ff, x), device[f], xy, count));
        }
        bad.addAll(mismatches("pow", FloatMath::pow, device[9], xy, count));
        assertEquals(List.of(), bad, count[0] + " mismatches");

        // Planted: exp with its last Horner step rounded twice (p * r + 1 unfused) must be caught.
        int[] planted = {0};
        mismatches("exp'", (x, y) -> expLastStepUnfused(x), device[0], xy, planted);
        assertTrue(planted[0] > 1000, "a one-rounding change to exp went unnoticed (" + planted[0] + " mismatches)");
    }

    /** FloatMath.exp for |x| < 80 except that the final step p * r + 1 is rounded twice. */
    private static float expLastStepUnfused(float x) {
        if (!(Math.abs(x) < 80f)) return FloatMath.exp(x);
        float j = Math.fma(x, 0x1.715476p+0f, 0x1.8p23f);
        float k = j - 0x1.8p23f;
        int ki = Float.floatToRawIntBits(j) - Float.floatToRawIntBits(0x1.8p23f);
        float r = Math.fma(k, -0x1.62e430p-1f, x);
        r = Math.fma(k, 0x1.05c610p-29f, r);
        float p = 0x1.a01a02p-13f;
        for (float c : new float[] {0x1.6c16c2p-10f, 0x1.111112p-7f, 0x1.555556p-5f, 0x1.555556p-3f, 0.5f, 1.0f}) p = Math.fma(p, r, c);
        p = p * r + 1.0f;
        return p * Float.intBitsToFloat((ki + 127) << 23);
    }

    // --------------------------------------------------------------------------------- accuracy

    /** |got - ref| in ulps of the float nearest ref (subnormal spacing below 2^-126); overflow must match exactly. */
    static double ulps(float got, double ref) {
        if (Double.isNaN(ref)) return Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (Float.isNaN(got)) return Double.POSITIVE_INFINITY;
        if (Float.isInfinite((float) ref) || Double.isInfinite(ref)) return got == (float) ref ? 0 : Double.POSITIVE_INFINITY;
        if (Float.isInfinite(got)) return Double.POSITIVE_INFINITY;
        int e = ref == 0 ? -127 : Math.getExponent(ref);
        double ulp = Math.scalb(1.0, Math.max(e - 23, -149));
        return Math.abs(got - ref) / ulp;
    }

    private static double erfRef(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        if (a >= 2.5) return Math.copySign(1 - erfcRef(a), x);
        // 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1 3 5 ... (2n+1)): positive terms, no cancellation
        double term = a, sum = 0;
        for (int n = 0; term > 1e-20 * sum; n++) {
            sum += term;
            term *= 2 * a * a / (2 * n + 3);
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * StrictMath.exp(-a * a) * sum, x);
    }

    /** erfc(x), x >= 0: 1 - erf below 2.5, else the continued fraction of Laplace (depth 400). */
    private static double erfcRef(double x) {
        if (x < 2.5) return 1 - erfRef(x);
        double k = 0;
        for (int i = 400; i >= 1; i--) k = (i / 2.0) / (x + k);
        return StrictMath.exp(-x * x) / Math.sqrt(Math.PI) / (x + k);
    }

    private static double geluRef(double x) {
        if (Double.isInfinite(x)) return x > 0 ? x : -0.0;
        double t = -x / Math.sqrt(2);
        return x * 0.5 * (t >= 0 ? erfcRef(t) : 2 - erfcRef(-t));
    }

    private static double sigmoidRef(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }

    /** Max ulp error of FloatMath function f over the inputs, with the worst input, for results in [lo, inf). */
    private static double[] worst(int f, DoubleUnaryOperator ref, float[] xs, double lo) {
        double max = 0, at = 0;
        for (float x : xs) {
            double r = ref.applyAsDouble(x);
            if (Math.abs(r) < lo) continue;
            double u = ulps(unary(f, x), r);
            if (u > max) {
                max = u;
                at = x;
            }
        }
        return new double[] {max, at};
    }

    @Test
    void accuracyAgainstDoublePrecision() {
        float[] xs = inputs()[0];
        // bound in ulps, for every result (lo = 0) or for normal results only (lo = 2^-126)
        Object[][] cases = {
            {0, (DoubleUnaryOperator) StrictMath::exp, 1.0, 0.0},
            {1, (DoubleUnaryOperator) StrictMath::log, 1.0, 0.0},
            {2, (DoubleUnaryOperator) FloatMathTest::erfRef, 1.5, 0.0},
            {3, (DoubleUnaryOperator) StrictMath::tanh, 1.5, 0.0},
            {4, (DoubleUnaryOperator) FloatMathTest::sigmoidRef, 2.0, 0.0},
            {5, (DoubleUnaryOperator) StrictMath::sin, 0.501, 0.0},
            {6, (DoubleUnaryOperator) StrictMath::cos, 0.501, 0.0},
            {7, (DoubleUnaryOperator) StrictMath::sqrt, 0.5, 0.0},
            {8, (DoubleUnaryOperator) FloatMathTest::geluRef, 5.0, 0x1p-126},
            {8, (DoubleUnaryOperator) FloatMathTest::geluRef, 8.0, 0.0},
        };
        StringBuilder report = new StringBuilder();
        List<String> failed = new ArrayList<>();
        for (Object[] c : cases) {
            int f = (Integer) c[0];
            double bound = (Double) c[2], lo = (Double) c[3];
            double[] w = worst(f, (DoubleUnaryOperator) c[1], xs, lo);
            String line = String.format("%s%s: max %.3f ulp (at %a; bound %.3f)", UNARY[f], lo > 0 ? " (normal results)" : "", w[0], w[1], bound);
            report.append(line).append('\n');
            if (!(w[0] <= bound)) failed.add(line);
        }
        System.out.print("[FloatMath accuracy]\n" + report);
        assertEquals(List.of(), failed);
    }

    @Test
    void powAccuracyAndSpecialCases() {
        float[][] xy = inputs();
        // Integer exponents |n| <= 32 by repeated squaring: each squaring doubles the relative error so far.
        // Other exponents through exp(y log x): the rounding of y log x is amplified by |y log x|.
        double maxInt = 0, maxGeneral = 0;
        String worstInt = "", worstGeneral = "";
        for (int i = 0; i < xy[0].length; i++) {
            float x = xy[0][i], y = xy[1][i];
            double ref = StrictMath.pow(x, y);
            if (Float.isNaN(x) || Float.isNaN(y) || Double.isNaN(ref) || Math.abs(ref) < 0x1p-126 || Math.abs(ref) > Float.MAX_VALUE) continue;
            double u = ulps(FloatMath.pow(x, y), ref);
            boolean integer = Math.abs(y) <= 32 && y == Math.rint(y);
            double scaled = u / (1 + (integer ? Math.abs(y) : Math.abs(y * Math.log(Math.abs(x)))));
            if (integer && scaled > maxInt) {
                maxInt = scaled;
                worstInt = String.format("pow(%a, %a): %.2f ulp", x, y, u);
            }
            if (!integer && scaled > maxGeneral) {
                maxGeneral = scaled;
                worstGeneral = String.format("pow(%a, %a): %.2f ulp", x, y, u);
            }
        }
        System.out.printf("[FloatMath accuracy] pow, integer |y| <= 32: max %.3f ulp per (1 + |y|) (%s); other y: max %.3f ulp per (1 + |y ln x|) (%s)%n",
                maxInt, worstInt, maxGeneral, worstGeneral);
        assertTrue(maxInt <= 1.0, worstInt);
        assertTrue(maxGeneral <= 2.0, worstGeneral);

        // C99 special cases
        float inf = Float.POSITIVE_INFINITY;
        float[][] cases = {
            {Float.NaN, 0f, 1f}, {1f, Float.NaN, 1f}, {-1f, inf, 1f}, {0.5f, inf, 0f}, {2f, inf, inf}, {0.5f, -inf, inf},
            {2f, -inf, 0f}, {-0f, 3f, -0f}, {-0f, -3f, -inf}, {0f, -2.5f, inf}, {-0f, 2.5f, 0f}, {-inf, 3f, -inf},
            {-inf, -3f, -0f}, {-inf, 2.5f, inf}, {-8f, 1f / 3, Float.NaN}, {-2f, 31f, -0x1p31f}, {-2f, -32f, 0x1p-32f},
            {4f, 0.5f, 2f}, {-0f, 0.5f, 0f}, {-inf, 0.5f, inf}, {2f, -2f, 0.25f}, {10f, 40f, inf},
        };
        for (float[] c : cases) {
            float got = FloatMath.pow(c[0], c[1]);
            assertTrue(same(got, c[2]), String.format("pow(%a, %a) = %a, expected %a", c[0], c[1], got, c[2]));
        }
    }

    @Test
    void specialValues() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        assertEquals(inf, FloatMath.exp(inf));
        assertEquals(0f, FloatMath.exp(-inf));
        assertEquals(Float.MIN_VALUE, FloatMath.exp(-103.27893f)); // the least subnormal
        assertEquals(inf, FloatMath.exp(88.72284f));
        assertTrue(FloatMath.exp(88.72283f) < Float.POSITIVE_INFINITY, "exp(88.72283) is finite");
        assertEquals(-inf, FloatMath.log(0f));
        assertEquals(-inf, FloatMath.log(-0f));
        assertTrue(Float.isNaN(FloatMath.log(-1f)));
        assertEquals(inf, FloatMath.log(inf));
        assertEquals(0f, FloatMath.log(1f));
        assertEquals(-103.27893f, FloatMath.log(Float.MIN_VALUE), 1e-5f);
        assertEquals(1f, FloatMath.erf(inf));
        assertEquals(-1f, FloatMath.erf(-inf));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatMath.erf(-0f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatMath.tanh(-0f)));
        assertEquals(1f, FloatMath.tanh(inf));
        assertEquals(-1f, FloatMath.tanh(-inf));
        assertEquals(1f, FloatMath.sigmoid(inf));
        assertEquals(0f, FloatMath.sigmoid(-inf));
        assertTrue(FloatMath.sigmoid(-100f) > 0f, "sigmoid keeps subnormal results");
        assertTrue(Float.isNaN(FloatMath.sin(inf)) && Float.isNaN(FloatMath.cos(-inf)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatMath.sin(-0f)));
        assertEquals(1f, FloatMath.cos(0f));
        assertEquals(inf, FloatMath.gelu(inf));
        assertEquals(-0f, FloatMath.gelu(-inf));
        assertTrue(Float.isNaN(FloatMath.sqrt(-1f)));
        for (int f = 0; f < UNARY.length; f++) assertTrue(Float.isNaN(unary(f, nan)), UNARY[f] + "(NaN)");
    }
}
