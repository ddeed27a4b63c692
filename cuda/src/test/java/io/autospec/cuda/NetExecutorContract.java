package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.nn.HostExecutor;
import io.autospec.nn.NnException;
import io.autospec.nn.OnnxGraph;
import io.autospec.nn.Plan;
import io.autospec.nn.Slot;
import io.autospec.nn.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link CudaNetExecutor} must do on any {@link Device}: every step kind gives the bits of the
 * Step semantics computed directly in Java ({@link StepReference}), on odd sizes (not multiples of the
 * matmul tile), with broadcasting, special values and every operator; a matmul row does not depend on
 * how many rows are computed with it; nothing is left allocated after close, after a failed open or a
 * failed run. Plans are built by hand ({@link PlanBuilder}). Run on the host emulator by
 * {@link EmulatedNetExecutorTest} and on a GPU by {@link GpuNetExecutorTest}.
 */
abstract class NetExecutorContract {

    /** A fresh device for one test; closed by the test. */
    abstract Device newDevice();

    /** Asserts the device holds no allocation (the executors on it are closed). */
    abstract void assertNothingLeft(Device device);

    Device device;

    @BeforeEach
    void openDevice() {
        device = newDevice();
    }

    @AfterEach
    void closeDevice() {
        if (device != null) device.close();
    }

    // ------------------------------------------------------------------------------------ helpers

    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 0.5f, -2.5f, 3f, Float.MIN_VALUE, -Float.MIN_NORMAL, 1e-20f, 1e20f,
        88f, -90f, 100f, -100f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 7.25e5f, -3e9f};

    /** n floats: the special values first, then normal(0, scale) draws. */
    static float[] floats(SplittableRandom rnd, int n, double scale, boolean special) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = special && i < SPECIAL.length ? SPECIAL[i] : (float) (gaussian(rnd) * scale);
        return v;
    }

    static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /**
     * Runs {@code plan} on the device, through {@link HostExecutor} and through {@link StepReference}
     * (Step's Javadoc, element by element), and asserts the same bits from all three (NaN payloads
     * aside); returns the device's outputs.
     */
    float[][] check(Plan plan, Object... inputs) {
        float[][] expected = StepReference.run(plan, inputs);
        float[][] host = outputs(plan), got = outputs(plan);
        try (HostExecutor h = new HostExecutor(plan, 2)) {
            h.run(inputs, host);
        }
        try (CudaNetExecutor ex = CudaNetExecutor.open(plan, device, false)) {
            ex.run(inputs, got);
            assertEquals("cuda", ex.name());
        }
        for (int o = 0; o < got.length; o++) {
            String name = plan.outputNames().get(o);
            mismatches(expected[o], host[o], name + ", Step's semantics vs the host executor");
            mismatches(expected[o], got[o], name + ", Step's semantics vs the device");
        }
        assertNothingLeft(device);
        return got;
    }

    /** Asserts equal bits, all NaNs counting as equal; the message shows up to 5 differing elements. */
    static void mismatches(float[] want, float[] got, String what) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < want.length; i++) {
            boolean same = Float.floatToRawIntBits(want[i]) == Float.floatToRawIntBits(got[i]) || (want[i] != want[i] && got[i] != got[i]);
            if (!same) bad.add(String.format("[%d]: want %a, got %a", i, want[i], got[i]));
        }
        if (!bad.isEmpty()) {
            throw new AssertionError(what + ": " + bad.size() + " of " + want.length + " elements differ, e.g.\n" + String.join("\n", bad.subList(0, Math.min(5, bad.size()))));
        }
    }

    // -------------------------------------------------------------------------------------- steps

    /** [batch, m, k] x [k, n] (one weight matrix broadcast over the batch) + bias, and B transposed per batch. */
    @Test
    void matmulOnOddSizes() {
        SplittableRandom rnd = new SplittableRandom(1);
        int batch = 3, m = 70, n = 67, k = 37;
        PlanBuilder p = new PlanBuilder(batch);
        int a = p.input("a", Slot.Type.FLOAT, batch, m, k);
        int w = p.constant("w", floats(rnd, k * n, 1, false), k, n);
        int bias = p.constant("bias", floats(rnd, n, 1, false), n);
        int bt = p.input("bt", Slot.Type.FLOAT, batch, n, k);
        int y = p.activation("y", Slot.Type.FLOAT, batch, m, n);
        int z = p.activation("z", Slot.Type.FLOAT, batch, m, n);
        p.step(new Step.MatMul(a, w, bias, y, batch, m, n, k, (long) m * k, 0, false));
        p.step(new Step.MatMul(a, bt, -1, z, batch, m, n, k, (long) m * k, (long) n * k, true));
        check(p.output(y).output(z).build(), floats(rnd, batch * m * k, 1, true), floats(rnd, batch * n * k, 1, false));
    }

    /** Shapes around the tile edges, k below and above one slice, k = 0. */
    @Test
    void matmulAtTheTileEdges() {
        SplittableRandom rnd = new SplittableRandom(2);
        int[][] shapes = {{1, 1, 1}, {64, 64, 16}, {65, 63, 17}, {1, 129, 5}, {130, 1, 33}, {3, 5, 0}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            PlanBuilder p = new PlanBuilder(1);
            int a = p.input("a", Slot.Type.FLOAT, m, k);
            int b = p.input("b", Slot.Type.FLOAT, k, n);
            int y = p.activation("y", Slot.Type.FLOAT, m, n);
            p.step(new Step.MatMul(a, b, -1, y, 1, m, n, k, 0, 0, false));
            check(p.output(y).build(), floats(rnd, m * k, 1, false), floats(rnd, k * n, 1, false));
        }
    }

    /** A row's result is the same computed alone or with 129 others (other tiles, other blocks). */
    @Test
    void matmulRowsDoNotDependOnTheBatch() {
        SplittableRandom rnd = new SplittableRandom(3);
        int k = 300, n = 70;
        float[] w = floats(rnd, k * n, 0.1, false);
        float[] rows = floats(rnd, 130 * k, 1, false);
        float[][] alone = run(1, k, n, w, java.util.Arrays.copyOf(rows, k));
        float[][] many = run(130, k, n, w, rows);
        for (int j = 0; j < n; j++) assertEquals(Float.floatToRawIntBits(alone[0][j]), Float.floatToRawIntBits(many[0][j]), "column " + j);
        // Planted: the same products summed in descending k give other bits for some outputs.
        int differ = 0;
        for (int j = 0; j < n; j++) {
            float acc = 0f;
            for (int kk = k - 1; kk >= 0; kk--) acc = Math.fma(rows[kk], w[kk * n + j], acc);
            if (acc != alone[0][j]) differ++;
        }
        assertTrue(differ > 0, "the summation order is visible in the bits");
    }

    private float[][] run(int m, int k, int n, float[] w, float[] a) {
        PlanBuilder p = new PlanBuilder(m);
        int x = p.input("x", Slot.Type.FLOAT, m, k);
        int wc = p.constant("w", w, k, n);
        int y = p.activation("y", Slot.Type.FLOAT, m, n);
        p.step(new Step.MatMul(x, wc, -1, y, 1, m, n, k, 0, 0, false));
        return check(p.output(y).build(), a);
    }

    @Test
    void everyUnaryOp() {
        SplittableRandom rnd = new SplittableRandom(4);
        int count = 1001;
        PlanBuilder p = new PlanBuilder(1);
        int x = p.input("x", Slot.Type.FLOAT, count);
        for (Step.UnaryOp op : Step.UnaryOp.values()) {
            float[] alphas = op == Step.UnaryOp.POW_CONST ? new float[] {2f, 0.5f, -1.5f, 3.3f} : new float[] {1.7f};
            for (float alpha : alphas) {
                int y = p.activation(op + "(" + alpha + ")", Slot.Type.FLOAT, count);
                p.step(new Step.Unary(op, x, y, count, alpha)).output(y);
            }
        }
        check(p.build(), (Object) floats(rnd, count, 3, true));
    }

    /** Every binary op on [2, 3, 5, 7] with broadcast axes on either side, and a rank-6 case. */
    @Test
    void binaryWithBroadcasting() {
        SplittableRandom rnd = new SplittableRandom(5);
        PlanBuilder p = new PlanBuilder(2);
        int a = p.input("a", Slot.Type.FLOAT, 2, 1, 5, 1);  // broadcast along axes 1 and 3
        int b = p.input("b", Slot.Type.FLOAT, 1, 3, 5, 7);  // broadcast along axis 0
        int[] shape = {2, 3, 5, 7};
        long[] as = {5, 0, 1, 0}, bs = {0, 35, 7, 1};
        for (Step.BinaryOp op : Step.BinaryOp.values()) {
            int y = p.activation(op.toString(), Slot.Type.FLOAT, 2, 3, 5, 7);
            p.step(new Step.Binary(op, a, b, y, shape, as, bs)).output(y);
        }
        int[] six = {2, 1, 3, 2, 1, 3};
        int y6 = p.activation("rank6", Slot.Type.FLOAT, 2, 1, 3, 2, 1, 3);
        p.step(new Step.Binary(Step.BinaryOp.SUB, b, a, y6, six, new long[] {0, 0, 7, 1, 0, 2}, new long[] {5, 0, 1, 0, 0, 0})).output(y6);
        check(p.build(), floats(rnd, 10, 2, true), floats(rnd, 105, 2, true));
    }

    @Test
    void reduceSoftmaxAndWhere() {
        SplittableRandom rnd = new SplittableRandom(6);
        PlanBuilder p = new PlanBuilder(3);
        int x = p.input("x", Slot.Type.FLOAT, 3, 17, 5);
        int sum = p.activation("sum", Slot.Type.FLOAT, 3, 5), mean = p.activation("mean", Slot.Type.FLOAT, 3, 5);
        p.step(new Step.Reduce(Step.ReduceOp.SUM, x, sum, 3, 17, 5)).output(sum);
        p.step(new Step.Reduce(Step.ReduceOp.MEAN, x, mean, 3, 17, 5)).output(mean);
        int soft = p.activation("softmax", Slot.Type.FLOAT, 15, 17);
        p.step(new Step.Softmax(x, soft, 15, 17)).output(soft);
        int cond = p.input("cond", Slot.Type.INT, 3, 1, 5);
        int fill = p.constant("fill", new float[] {-1e9f}, 1);
        int where = p.activation("where", Slot.Type.FLOAT, 3, 17, 5);
        p.step(new Step.Where(cond, x, fill, where, new int[] {3, 17, 5}, new long[] {5, 0, 1}, new long[] {85, 5, 1}, new long[] {0, 0, 0})).output(where);
        // A larger reduction: enough outputs that any change of rounding (e.g. MEAN as acc * (1/n)) shows.
        int big = p.input("big", Slot.Type.FLOAT, 40, 17, 13);
        int bigMean = p.activation("bigMean", Slot.Type.FLOAT, 40, 13);
        p.step(new Step.Reduce(Step.ReduceOp.MEAN, big, bigMean, 40, 17, 13)).output(bigMean);
        int[] c = new int[15];
        for (int i = 0; i < c.length; i++) c[i] = rnd.nextInt(3) - 1;
        float[] xs = floats(rnd, 255, 4, false);
        xs[17] = Float.NEGATIVE_INFINITY; // a row with -inf, one all -inf, one with NaN, one with a huge value
        for (int j = 17; j < 34; j++) xs[j] = Float.NEGATIVE_INFINITY;
        xs[40] = Float.NaN;
        xs[60] = 1e30f;
        check(p.build(), xs, c, floats(rnd, 40 * 17 * 13, 3, false));
    }

    @Test
    void gatherCopyAndCast() {
        SplittableRandom rnd = new SplittableRandom(7);
        PlanBuilder p = new PlanBuilder(2);
        int table = p.constant("table", floats(rnd, 11 * 6, 1, false), 11, 6);
        int ids = p.input("ids", Slot.Type.INT, 2, 5);
        int emb = p.activation("emb", Slot.Type.FLOAT, 10, 6);
        p.step(new Step.Gather(table, ids, emb, 1, 11, 6, 10)).output(emb);
        // transpose [10, 6] -> [6, 10], then a slice of it into the middle of a larger buffer
        int tr = p.activation("transposed", Slot.Type.FLOAT, 6, 10);
        p.step(new Step.Copy(emb, tr, new int[] {6, 10}, 0, new long[] {1, 6}, 0, new long[] {10, 1})).output(tr);
        int sl = p.activation("slice", Slot.Type.FLOAT, 4, 12);
        p.step(new Step.Copy(tr, sl, new int[] {3, 4}, 12, new long[] {20, 1}, 14, new long[] {12, 2})).output(sl);
        int scalar = p.activation("scalar", Slot.Type.FLOAT, 1);
        p.step(new Step.Copy(tr, scalar, new int[0], 59, new long[0], 0, new long[0])).output(scalar);
        int f = p.input("f", Slot.Type.FLOAT, 21);
        int toInt = p.activation("toInt", Slot.Type.INT, 21), back = p.activation("back", Slot.Type.FLOAT, 21);
        p.step(new Step.Cast(Step.CastOp.FLOAT_TO_INT, f, toInt, 21)).output(toInt);
        p.step(new Step.Cast(Step.CastOp.INT_TO_FLOAT, toInt, back, 21)).output(back);
        Plan plan = p.build();
        int[] idx = {0, 10, -1, -11, 3, 5, 5, 7, -4, 2};
        float[][] out = check(plan, idx, floats(rnd, 21, 1e9, true));
        assertEquals(0, out[3][0], 1e9f, "the scalar copy ran");

        // An index outside [-11, 11) is refused before any launch, naming the input; the executor stays usable.
        try (CudaNetExecutor ex = CudaNetExecutor.open(plan, device, false)) {
            float[][] o = outputs(plan);
            int[] badIdx = idx.clone();
            badIdx[4] = 11;
            NnException e = assertThrows(NnException.class, () -> ex.run(new Object[] {badIdx, new float[21]}, o));
            assertTrue(e.getMessage().contains("ids[4] = 11"), e.getMessage());
            ex.run(new Object[] {idx, new float[21]}, o);
        }
        assertNothingLeft(device);
    }

    /**
     * int32 +, -, * wrap around like Java's int (cases chosen so that the wrapped result and the
     * mathematical one differ as float values too, since INT outputs come back as floats), with either
     * operand broadcast; and tokens plus per-position offsets as the row index of an embedding Gather.
     */
    @Test
    void intBinaryWrapsAndIndexesAGather() {
        SplittableRandom rnd = new SplittableRandom(10);
        int rows = 3, w = 6;
        PlanBuilder p = new PlanBuilder(rows);
        int a = p.input("a", Slot.Type.INT, rows, w);
        int b = p.constant("b", new int[] {1, -1, 65537, Integer.MIN_VALUE, 3, -5}, w);
        for (Step.IntBinaryOp op : Step.IntBinaryOp.values()) {
            int y = p.activation(op.toString(), Slot.Type.INT, rows, w), z = p.activation(op + " reversed", Slot.Type.INT, rows, w);
            p.step(new Step.IntBinary(op, a, b, y, new int[] {rows, w}, new long[] {w, 1}, new long[] {0, 1})).output(y);
            p.step(new Step.IntBinary(op, b, a, z, new int[] {rows, w}, new long[] {0, 1}, new long[] {w, 1})).output(z);
        }
        int n = 5, vocab = 3, width = 4;
        int tokens = p.input("tokens", Slot.Type.INT, 2, n);
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) offsets[i] = i * vocab;
        int off = p.constant("offsets", offsets, n);
        int idx = p.activation("index", Slot.Type.INT, 2, n);
        p.step(new Step.IntBinary(Step.IntBinaryOp.ADD, tokens, off, idx, new int[] {2, n}, new long[] {n, 1}, new long[] {0, 1}));
        int table = p.constant("table", floats(rnd, n * vocab * width, 1, false), n * vocab, width);
        int emb = p.activation("embedding", Slot.Type.FLOAT, 2 * n, width);
        p.step(new Step.Gather(table, idx, emb, 1, n * vocab, width, 2 * n)).output(emb);

        int[] as = new int[rows * w];
        int[] edge = {Integer.MAX_VALUE, Integer.MIN_VALUE, 65537, -1, 7, 0};
        for (int i = 0; i < as.length; i++) as[i] = i < w ? edge[i] : rnd.nextInt(2001) - 1000;
        int[] tok = new int[2 * n];
        for (int i = 0; i < tok.length; i++) tok[i] = rnd.nextInt(vocab);
        float[][] out = check(p.build(), as, tok);
        assertEquals(Integer.MIN_VALUE, out[0][0], "MAX_VALUE + 1 wraps");
        assertEquals(131073f, out[4][2], "65537 * 65537 wraps to 2^17 + 1");
        assertEquals((float) Integer.MIN_VALUE, out[4][1], "MIN_VALUE * -1 wraps to itself");

        // A computed index past the table (which the Java executor refuses) reads nothing on the device: NaN bits.
        Plan plan = p.build();
        tok[2 * n - 1] = vocab; // last position: index n * vocab
        try (HostExecutor host = new HostExecutor(plan, 1)) {
            float[][] o = outputs(plan);
            NnException e = assertThrows(NnException.class, () -> host.run(new Object[] {as, tok}, o));
            assertTrue(e.getMessage().contains("index " + n * vocab), e.getMessage());
        }
        try (CudaNetExecutor ex = CudaNetExecutor.open(plan, device, false)) {
            float[][] o = outputs(plan);
            ex.run(new Object[] {as, tok}, o);
            float[] embedding = o[o.length - 1];
            for (int j = 0; j < width; j++) {
                assertEquals(0x7fc00000, Float.floatToRawIntBits(embedding[(2 * n - 1) * width + j]));
                assertEquals(out[o.length - 1][j], embedding[j], "the other rows as before");
            }
        }
        assertNothingLeft(device);
    }

    /**
     * int32 data through the type-blind steps (Gather, Copy, Where: raw values, INT outputs returned as
     * float values, here exact), and activations that start as zeros: a Copy fills the middle rows of a
     * slot and the other rows read 0 (the emulator's fresh memory is all ones, so a missed zeroing shows).
     */
    @Test
    void intDataMovesAndUnwrittenActivationElementsAreZero() {
        SplittableRandom rnd = new SplittableRandom(11);
        PlanBuilder p = new PlanBuilder(2);
        int ids = p.input("ids", Slot.Type.INT, 2, 6);
        int rowsOf = p.input("rows", Slot.Type.INT, 4);
        int cond = p.input("cond", Slot.Type.INT, 2, 1);
        int[] tableData = new int[7 * 3];
        for (int i = 0; i < tableData.length; i++) tableData[i] = rnd.nextInt(1 << 25) - (1 << 24);
        int table = p.constant("table", tableData, 7, 3);
        int fill = p.constant("fill", new int[] {-7, 0, 7, -(1 << 24), 1 << 24, 3}, 6);
        int gathered = p.activation("gathered", Slot.Type.INT, 4, 3);
        p.step(new Step.Gather(table, rowsOf, gathered, 1, 7, 3, 4)).output(gathered);
        int transposed = p.activation("transposed", Slot.Type.INT, 6, 2);
        p.step(new Step.Copy(ids, transposed, new int[] {6, 2}, 0, new long[] {1, 6}, 0, new long[] {2, 1})).output(transposed);
        int selected = p.activation("selected", Slot.Type.INT, 2, 6);
        p.step(new Step.Where(cond, ids, fill, selected, new int[] {2, 6}, new long[] {1, 0}, new long[] {6, 1}, new long[] {0, 1})).output(selected);
        int padded = p.activation("padded", Slot.Type.INT, 4, 6);
        p.step(new Step.Copy(ids, padded, new int[] {2, 6}, 0, new long[] {6, 1}, 6, new long[] {6, 1})).output(padded);
        int x = p.input("x", Slot.Type.FLOAT, 3);
        int paddedF = p.activation("paddedFloat", Slot.Type.FLOAT, 5);
        p.step(new Step.Copy(x, paddedF, new int[] {3}, 0, new long[] {1}, 1, new long[] {1})).output(paddedF);

        int[] idv = new int[12];
        for (int i = 0; i < idv.length; i++) idv[i] = rnd.nextInt(1 << 25) - (1 << 24);
        float[][] out = check(p.build(), idv, new int[] {6, -7, 0, 3}, new int[] {0, 5}, new float[] {Float.NaN, -0f, 2.5f});
        for (int j = 0; j < 6; j++) {
            assertEquals(0f, out[3][j], "padded row 0");
            assertEquals(0f, out[3][18 + j], "padded row 3");
            assertEquals(idv[j], out[3][6 + j], "padded row 1");
        }
        assertEquals(0, Float.floatToRawIntBits(out[4][0]));
        assertEquals(0, Float.floatToRawIntBits(out[4][4]));
    }

    static float[][] outputs(Plan plan) {
        float[][] o = new float[plan.outputSlots().length][];
        for (int i = 0; i < o.length; i++) o[i] = new float[(int) plan.slots().get(plan.outputSlots()[i]).elements()];
        return o;
    }

    /** matmul, gelu, softmax in a chain, run twice on one executor (buffers reused, same bits). */
    @Test
    void aSmallNetworkRunsRepeatedly() {
        SplittableRandom rnd = new SplittableRandom(8);
        int rows = 5, d = 24, h = 40;
        PlanBuilder p = new PlanBuilder(rows);
        int x = p.input("x", Slot.Type.FLOAT, rows, d);
        int w1 = p.constant("w1", floats(rnd, d * h, 0.3, false), d, h), b1 = p.constant("b1", floats(rnd, h, 0.1, false), h);
        int hid = p.activation("hidden", Slot.Type.FLOAT, rows, h), act = p.activation("act", Slot.Type.FLOAT, rows, h);
        int prob = p.activation("prob", Slot.Type.FLOAT, rows, h);
        p.step(new Step.MatMul(x, w1, b1, hid, 1, rows, h, d, 0, 0, false));
        p.step(new Step.Unary(Step.UnaryOp.GELU, hid, act, (long) rows * h, 0f));
        p.step(new Step.Softmax(act, prob, rows, h));
        Plan plan = p.output(prob).build();
        float[] in1 = floats(rnd, rows * d, 1, false), in2 = floats(rnd, rows * d, 1, false);
        float[][] want1 = StepReference.run(plan, new Object[] {in1}), want2 = StepReference.run(plan, new Object[] {in2});
        try (CudaNetExecutor ex = CudaNetExecutor.open(plan, device, false)) {
            float[][] out = {new float[rows * h]};
            for (int rep = 0; rep < 2; rep++) {
                ex.run(new Object[] {in1}, out);
                mismatches(want1[0], out[0], "prob, first input");
                ex.run(new Object[] {in2}, out);
                mismatches(want2[0], out[0], "prob, second input");
            }
        }
        assertNothingLeft(device);
    }

    // ------------------------------------------------------------------ whole plans, host vs device

    /**
     * {@code model} planned for each batch: random inputs through {@link HostExecutor} and through the
     * device executor give the same bits in every output element. The device executor first runs other
     * inputs (an evaluation leaves nothing behind for the next). The last row of the first batch's inputs
     * is also placed at a middle position of each later batch, where the device must give the first
     * batch's host bits (batch invariance across executors). Nothing stays allocated after each close.
     */
    void wholePlan(String model, int... batches) {
        Path file = ModelRows.file(model);
        OnnxGraph g = OnnxGraph.read(file);
        SplittableRandom rnd = new SplittableRandom(model.hashCode());
        Object[] firstIn = null;
        float[][] firstOut = null;
        for (int bi = 0; bi < batches.length; bi++) {
            int b = batches[bi], pos = (b * 7 / 11) % b;
            Plan plan = ModelRows.plan(g, b);
            Object[] in = ModelRows.inputs(plan, rnd);
            if (bi > 0) ModelRows.place(firstIn, batches[0] - 1, batches[0], in, pos, b);
            float[][] host = outputs(plan), got = outputs(plan);
            try (HostExecutor h = new HostExecutor(plan, 2)) {
                h.run(in, host);
            }
            try (CudaNetExecutor ex = CudaNetExecutor.open(plan, device, false)) {
                ex.run(ModelRows.inputs(plan, rnd), got);
                ex.run(in, got);
            }
            assertNothingLeft(device);
            String what = file.getFileName() + " at batch " + b + ", ";
            int finite = 0;
            for (int o = 0; o < host.length; o++) {
                mismatches(host[o], got[o], what + plan.outputNames().get(o) + ", host vs device");
                for (float v : host[o]) finite += Float.isFinite(v) ? 1 : 0;
                if (bi > 0) {
                    mismatches(ModelRows.row(firstOut[o], batches[0] - 1, batches[0]), ModelRows.row(got[o], pos, b),
                            what + "row " + pos + " against the host's row " + (batches[0] - 1) + " at batch " + batches[0] + " of " + plan.outputNames().get(o));
                }
            }
            assertTrue(finite > 0, what + "no finite output");
            if (bi == 0) {
                firstIn = in;
                firstOut = host;
            }
        }
    }

    @Test
    void digitsGivesTheHostBits() {
        wholePlan("onnx/models/digits.onnx", 4, 16);
    }

    @Test
    void digitsDenoiserGivesTheHostBits() {
        wholePlan("onnx/models/digits-denoiser.onnx", 4, 16);
    }

    @Test
    void tinyTransformerGivesTheHostBits() {
        wholePlan("nn/src/test/resources/io/autospec/nn/tiny-transformer.onnx", 1, 7, 16);
    }

    @Test
    void onnxFixturesGiveTheHostBits() {
        for (String f : new String[] {"tiny.onnx", "tiny-text.onnx", "denoiser/mixture.onnx", "denoiser/atoms1d.onnx"}) {
            wholePlan("onnx/src/test/resources/io/autospec/onnx/" + f, 3, 8);
        }
    }

    /** The text model: 6 transformer layers over 256 positions (6 to 13 s on the emulator, on 2 busy cores). */
    @Test
    void textGivesTheHostBits() {
        wholePlan("onnx/models/text.onnx", 1);
    }

    // -------------------------------------------------------------------------------------- leaks

    @Test
    void aSlotThatDoesNotFitFailsTheOpenNamingItAndFreesTheRest() {
        PlanBuilder p = new PlanBuilder(1);
        int x = p.input("x", Slot.Type.FLOAT, 1000);
        int huge = p.activation("huge", Slot.Type.FLOAT, 1L << 40);
        p.step(new Step.Unary(Step.UnaryOp.EXP, x, huge, 1000, 0f)).output(huge);
        NnException e = assertThrows(NnException.class, () -> CudaNetExecutor.open(p.build(), device, false));
        assertTrue(e.getMessage().contains("slot huge") && e.getMessage().contains((4L << 40) + " bytes"), e.getMessage());
        assertNothingLeft(device);
    }

    @Test
    void badInputsAreRefusedNamingThemAndNothingLeaks() {
        PlanBuilder p = new PlanBuilder(1);
        int x = p.input("tokens", Slot.Type.FLOAT, 8);
        int y = p.activation("y", Slot.Type.FLOAT, 8);
        p.step(new Step.Unary(Step.UnaryOp.TANH, x, y, 8, 0f)).output(y);
        Plan plan = p.build();
        CudaNetExecutor ex = CudaNetExecutor.open(plan, device, false);
        try {
            float[][] out = {new float[8]};
            assertTrue(assertThrows(NnException.class, () -> ex.run(new Object[] {new float[7]}, out)).getMessage().contains("tokens has 7 elements"));
            assertTrue(assertThrows(NnException.class, () -> ex.run(new Object[] {new int[8]}, out)).getMessage().contains("tokens must be float[]"));
            assertTrue(assertThrows(NnException.class, () -> ex.run(new Object[] {new float[8]}, new float[][] {new float[3]})).getMessage().contains("output y"));
            ex.run(new Object[] {new float[8]}, out);
        } finally {
            ex.close();
        }
        ex.close(); // idempotent
        assertThrows(NnException.class, () -> ex.run(new Object[] {new float[8]}, new float[][] {new float[8]}));
        assertNothingLeft(device);
    }

    /** Forwards to a device, failing the {@code failUpload}-th upload or {@code failLaunch}-th launch (1-based; 0: never). */
    static final class FailingDevice extends ForwardingDevice {
        final int failUpload, failLaunch;
        int uploads, launches;

        FailingDevice(Device d, int failUpload, int failLaunch) {
            super(d);
            this.failUpload = failUpload;
            this.failLaunch = failLaunch;
        }

        @Override public String describe() { return "failing " + d.describe(); }
        @Override public void close() {}

        @Override
        public void upload(DeviceMemory dst, long o, HostBuffer src, long so, long n) {
            if (++uploads == failUpload) throw new CudaException("planted upload failure");
            d.upload(dst, o, src, so, n);
        }

        @Override
        public void launch(String kernel, int grid, int block, java.nio.ByteBuffer args) {
            if (++launches == failLaunch) throw new CudaException("planted launch failure in " + kernel);
            d.launch(kernel, grid, block, args);
        }
    }

    @Test
    void deviceFailuresInOpenOrRunFreeEverything() {
        SplittableRandom rnd = new SplittableRandom(9);
        PlanBuilder p = new PlanBuilder(1);
        int x = p.input("x", Slot.Type.FLOAT, 4, 8);
        int w = p.constant("w", floats(rnd, 8 * 8, 1, false), 8, 8);
        int y = p.activation("y", Slot.Type.FLOAT, 4, 8), z = p.activation("z", Slot.Type.FLOAT, 4, 8);
        p.step(new Step.MatMul(x, w, -1, y, 1, 4, 8, 8, 0, 0, false));
        p.step(new Step.Unary(Step.UnaryOp.SIGMOID, y, z, 32, 0f));
        Plan plan = p.output(z).build();

        NnException open = assertThrows(NnException.class, () -> CudaNetExecutor.open(plan, new FailingDevice(device, 1, 0), false));
        assertTrue(open.getMessage().contains("planted upload failure"), open.getMessage());
        assertNothingLeft(device);

        CudaNetExecutor ex = CudaNetExecutor.open(plan, new FailingDevice(device, 0, 2), false);
        try {
            NnException run = assertThrows(NnException.class, () -> ex.run(new Object[] {new float[32]}, new float[][] {new float[32]}));
            assertTrue(run.getMessage().contains("planted launch failure in as_nn_unary"), run.getMessage());
        } finally {
            ex.close();
        }
        assertNothingLeft(device);
    }
}
