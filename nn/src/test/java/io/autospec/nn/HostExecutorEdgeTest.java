package io.autospec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge cases of {@link HostExecutor} that Step's Javadoc fixes: INT outputs, Cast saturation, an empty softmax row. */
class HostExecutorEdgeTest {

    private static Slot slot(int id, String name, Slot.Type type, Slot.Kind kind, long n) {
        return new Slot(id, name, type, kind, new long[] {n}, n, null, null);
    }

    /** FLOAT_TO_INT truncates toward 0, maps NaN to 0 and saturates; an INT output arrives as its float values. */
    @Test
    void intOutputsArriveAsFloatValues() {
        float[] x = {2.9f, -2.9f, Float.NaN, 1e10f, -1e10f, Float.POSITIVE_INFINITY, -0f};
        int n = x.length;
        Plan plan = new Plan(1, List.of(slot(0, "x", Slot.Type.FLOAT, Slot.Kind.INPUT, n), slot(1, "i", Slot.Type.INT, Slot.Kind.ACTIVATION, n)),
                List.of(new Step.Cast(Step.CastOp.FLOAT_TO_INT, 0, 1, n)), List.of("x"), new int[] {0}, List.of("i"), new int[] {1});
        float[][] out = {new float[n]};
        try (HostExecutor h = new HostExecutor(plan, 1)) {
            h.run(new Object[] {x}, out);
        }
        float[] want = {2, -2, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, 0};
        for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(out[0][i]), "element " + i);
    }

    /** Rows of no columns compute nothing (the row maximum starts from -inf, reading no element). */
    @Test
    void softmaxOverEmptyRowsWritesNothing() {
        Plan plan = new Plan(1, List.of(slot(0, "x", Slot.Type.FLOAT, Slot.Kind.INPUT, 0), slot(1, "y", Slot.Type.FLOAT, Slot.Kind.ACTIVATION, 0)),
                List.of(new Step.Softmax(0, 1, 3, 0)), List.of("x"), new int[] {0}, List.of("y"), new int[] {1});
        float[][] out = {new float[0]};
        try (HostExecutor h = new HostExecutor(plan, 1)) {
            h.run(new Object[] {new float[0]}, out);
        }
        assertEquals(0, out[0].length);
    }
}
