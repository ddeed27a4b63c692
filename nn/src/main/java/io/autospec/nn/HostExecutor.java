package io.autospec.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs a {@link Plan} in Java, step by step, with exactly the per-element semantics of {@link Step}:
 * each output element is computed on its own with the documented operation order, so the result is
 * the same for any thread count, any batch and any loop order. Work is split over rows or element
 * ranges across {@code threads} (the caller's thread plus a pool of {@code threads - 1}). The planner
 * folds constants with the same kernels ({@link #execute}). One evaluation at a time: the slots are
 * the executor's own, so concurrent {@link #run} calls need separate executors.
 */
public final class HostExecutor implements Executor {

    /** Elementwise steps below this many elements run on one thread. */
    private static final long PARALLEL_MIN = 1 << 15;

    private final Plan plan;
    private final int threads;
    private final ExecutorService pool;
    private final Object[] buffers;

    public HostExecutor(Plan plan, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.plan = plan;
        this.threads = threads;
        this.buffers = new Object[plan.slots().size()];
        for (Slot s : plan.slots()) {
            if (s.elements() > Integer.MAX_VALUE - 8) {
                throw new NnException("slot " + s.name() + " has " + s.elements() + " elements, more than a Java array holds");
            }
            if (s.kind() == Slot.Kind.CONSTANT) {
                buffers[s.id()] = s.type() == Slot.Type.FLOAT ? s.floats() : s.ints();
            } else {
                buffers[s.id()] = s.type() == Slot.Type.FLOAT ? new float[(int) s.elements()] : new int[(int) s.elements()];
            }
        }
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "autospec-host-executor");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public Plan plan() {
        return plan;
    }

    @Override
    public void run(Object[] inputs, float[][] outputs) {
        checkInputs(plan, inputs);
        if (outputs.length != plan.outputSlots().length) {
            throw new NnException("plan has " + plan.outputSlots().length + " outputs, " + outputs.length + " arrays given");
        }
        for (int i = 0; i < outputs.length; i++) {
            Slot s = plan.slots().get(plan.outputSlots()[i]);
            if (outputs[i] == null || outputs[i].length != s.elements()) {
                throw new NnException("output " + plan.outputNames().get(i) + " needs " + s.elements() + " floats, got "
                        + (outputs[i] == null ? "null" : Integer.toString(outputs[i].length)));
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            Object src = inputs[i];
            System.arraycopy(src, 0, buffers[plan.inputSlots()[i]], 0, java.lang.reflect.Array.getLength(src));
        }
        for (Step s : plan.steps()) {
            execute(s, id -> buffers[id], this::parallel);
        }
        for (int i = 0; i < outputs.length; i++) {
            Object o = buffers[plan.outputSlots()[i]];
            if (o instanceof float[] f) {
                System.arraycopy(f, 0, outputs[i], 0, outputs[i].length);
            } else { // an INT output: its values as floats, as every executor returns them
                int[] v = (int[]) o;
                for (int j = 0; j < outputs[i].length; j++) {
                    outputs[i][j] = v[j];
                }
            }
        }
    }

    /**
     * Checks inputs against a plan as every executor must before a launch: one array per input slot,
     * of the slot's type and element count, and integer inputs used as Gather indices within range.
     */
    public static void checkInputs(Plan plan, Object[] inputs) {
        if (inputs.length != plan.inputSlots().length) {
            throw new NnException("plan takes " + plan.inputSlots().length + " inputs " + plan.inputNames() + ", " + inputs.length + " given");
        }
        for (int i = 0; i < inputs.length; i++) {
            Slot s = plan.slots().get(plan.inputSlots()[i]);
            String name = plan.inputNames().get(i);
            Object in = inputs[i];
            boolean ok = s.type() == Slot.Type.FLOAT ? in instanceof float[] : in instanceof int[];
            if (!ok) {
                throw new NnException("input " + name + " must be " + (s.type() == Slot.Type.FLOAT ? "float[]" : "int[]")
                        + ", got " + (in == null ? "null" : in.getClass().getSimpleName()));
            }
            int len = java.lang.reflect.Array.getLength(in);
            if (len != s.elements()) {
                throw new NnException("input " + name + " needs " + s.elements() + " elements (shape "
                        + java.util.Arrays.toString(s.shape()) + "), got " + len);
            }
        }
        for (Step st : plan.steps()) {
            if (st instanceof Step.Gather g) {
                for (int i = 0; i < inputs.length; i++) {
                    if (plan.inputSlots()[i] == g.indices()) {
                        for (int v : (int[]) inputs[i]) {
                            if (v < -g.axisLen() || v >= g.axisLen()) {
                                throw new NnException("input " + plan.inputNames().get(i) + " holds index " + v
                                        + ", outside [" + (-g.axisLen()) + ", " + g.axisLen() + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Runs tasks [0, count) on the caller's thread and the pool. */
    interface Par {
        void run(int count, java.util.function.IntConsumer task);
    }

    private void parallel(int count, java.util.function.IntConsumer task) {
        if (pool == null || count <= 1) {
            for (int t = 0; t < count; t++) {
                task.accept(t);
            }
            return;
        }
        int workers = Math.min(threads, count);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            int t;
            while ((t = next.getAndIncrement()) < count) {
                task.accept(t);
            }
        };
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            fs.add(pool.submit(worker));
        }
        worker.run();
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NnException("host executor interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                throw c instanceof RuntimeException r ? r : new NnException("host executor failed: " + c, c);
            }
        }
    }

    private static final Par SERIAL = (count, task) -> {
        for (int t = 0; t < count; t++) {
            task.accept(t);
        }
    };

    /** One step on one thread: how the planner folds constants. */
    static void execute(Step step, IntFunction<Object> buf) {
        execute(step, buf, SERIAL);
    }

    /** Splits [0, n) into chunks of at least {@link #PARALLEL_MIN} elements and runs body(from, to) on each. */
    private static void ranges(Par par, long n, RangeBody body) {
        ranges(par, n, 1, body);
    }

    /** As above for n items of {@code width} elements each (rows of a strided step). */
    private static void ranges(Par par, long n, long width, RangeBody body) {
        int chunks = (int) Math.max(1, Math.min(Math.min(64, n), n * width / PARALLEL_MIN));
        par.run(chunks, c -> body.run(n * c / chunks, n * (c + 1) / chunks));
    }

    private interface RangeBody {
        void run(long from, long to);
    }

    static void execute(Step step, IntFunction<Object> buf, Par par) {
        if (step instanceof Step.MatMul s) {
            matMul(s, (float[]) buf.apply(s.a()), (float[]) buf.apply(s.b()),
                    s.bias() < 0 ? null : (float[]) buf.apply(s.bias()), (float[]) buf.apply(s.out()), par);
        } else if (step instanceof Step.Unary s) {
            float[] in = (float[]) buf.apply(s.in()), out = (float[]) buf.apply(s.out());
            ranges(par, s.count(), (from, to) -> unary(s.op(), s.alpha(), in, out, (int) from, (int) to));
        } else if (step instanceof Step.Binary s) {
            float[] a = (float[]) buf.apply(s.a()), b = (float[]) buf.apply(s.b()), out = (float[]) buf.apply(s.out());
            Strided it = new Strided(s.shape(), s.aStrides(), s.bStrides(), null);
            ranges(par, it.rows, it.inner, (from, to) -> binary(s.op(), a, b, out, it, from, to));
        } else if (step instanceof Step.Reduce s) {
            float[] in = (float[]) buf.apply(s.in()), out = (float[]) buf.apply(s.out());
            ranges(par, s.outer() * s.inner(), s.reduced(), (from, to) -> reduce(s, in, out, from, to));
        } else if (step instanceof Step.Softmax s) {
            float[] in = (float[]) buf.apply(s.in()), out = (float[]) buf.apply(s.out());
            long rowsPerChunk = Math.max(1, PARALLEL_MIN / Math.max(1, s.cols()));
            int chunks = (int) Math.max(1, Math.min(64, (s.rows() + rowsPerChunk - 1) / rowsPerChunk));
            par.run(chunks, c -> softmax(in, out, s.rows() * c / chunks, s.rows() * (c + 1) / chunks, (int) s.cols()));
        } else if (step instanceof Step.Gather s) {
            gather(s, buf.apply(s.data()), (int[]) buf.apply(s.indices()), buf.apply(s.out()));
        } else if (step instanceof Step.Copy s) {
            Object in = buf.apply(s.in()), out = buf.apply(s.out());
            Strided it = new Strided(s.shape(), s.inStrides(), s.outStrides(), null);
            ranges(par, it.rows, it.inner, (from, to) -> copy(in, out, s.inOffset(), s.outOffset(), it, from, to));
        } else if (step instanceof Step.Cast s) {
            if (s.op() == Step.CastOp.INT_TO_FLOAT) {
                int[] in = (int[]) buf.apply(s.in());
                float[] out = (float[]) buf.apply(s.out());
                for (int i = 0; i < s.count(); i++) {
                    out[i] = (float) in[i];
                }
            } else {
                float[] in = (float[]) buf.apply(s.in());
                int[] out = (int[]) buf.apply(s.out());
                for (int i = 0; i < s.count(); i++) {
                    out[i] = (int) in[i];
                }
            }
        } else if (step instanceof Step.Where s) {
            int[] cond = (int[]) buf.apply(s.cond());
            Object a = buf.apply(s.a()), b = buf.apply(s.b()), out = buf.apply(s.out());
            Strided it = new Strided(s.shape(), s.aStrides(), s.bStrides(), s.condStrides());
            ranges(par, it.rows, it.inner, (from, to) -> where(cond, a, b, out, it, from, to));
        } else if (step instanceof Step.IntBinary s) {
            int[] a = (int[]) buf.apply(s.a()), b = (int[]) buf.apply(s.b()), out = (int[]) buf.apply(s.out());
            Strided it = new Strided(s.shape(), s.aStrides(), s.bStrides(), null);
            ranges(par, it.rows, it.inner, (from, to) -> intBinary(s.op(), a, b, out, it, from, to));
        } else {
            throw new NnException("host executor: unknown step " + step);
        }
    }

    // ---- kernels ----

    private static void matMul(Step.MatMul s, float[] a, float[] b, float[] bias, float[] out, Par par) {
        int m = s.m(), n = s.n(), k = s.kDim();
        // element (kk, j) of B at kk * bk + j * bj
        int bk = s.transB() ? 1 : n, bj = s.transB() ? k : 1;
        int rowBlock = 16;
        int blocksPerMatrix = (m + rowBlock - 1) / rowBlock;
        par.run(s.batch() * blocksPerMatrix, task -> {
            int t = task / blocksPerMatrix;
            int i0 = (task % blocksPerMatrix) * rowBlock, i1 = Math.min(m, i0 + rowBlock);
            int aOff = (int) (t * s.aBatchStride()), bOff = (int) (t * s.bBatchStride()), oOff = t * m * n;
            matMulRows(a, aOff, b, bOff, bk, bj, out, oOff, i0, i1, n, k);
            if (bias != null) {
                for (int i = i0; i < i1; i++) {
                    int o = oOff + i * n;
                    for (int j = 0; j < n; j++) {
                        out[o + j] = out[o + j] + bias[j];
                    }
                }
            }
        });
    }

    /**
     * Rows [i0, i1) of one product in 4x4 register tiles: every out[i][j] is its own accumulator,
     * fma-accumulated over k = 0, 1, ... in order from +0f (the ragged edges one element at a time).
     */
    private static void matMulRows(float[] a, int aOff, float[] b, int bOff, int bk, int bj, float[] out, int oOff,
                                   int i0, int i1, int n, int k) {
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int r0 = aOff + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
                float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
                int q0 = bOff + j * bj, q1 = q0 + bj, q2 = q1 + bj, q3 = q2 + bj;
                for (int kk = 0; kk < k; kk++) {
                    int br = kk * bk;
                    float b0 = b[q0 + br], b1 = b[q1 + br], b2 = b[q2 + br], b3 = b[q3 + br];
                    float a0 = a[r0 + kk], a1 = a[r1 + kk], a2 = a[r2 + kk], a3 = a[r3 + kk];
                    c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
                    c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
                    c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
                    c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
                }
                int o = oOff + i * n + j;
                out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += n;
                out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += n;
                out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += n;
                out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
            }
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) {
                    out[oOff + (i + r) * n + j] = dot(a, aOff + (i + r) * k, b, bOff + j * bj, bk, k);
                }
            }
        }
        for (; i < i1; i++) {
            for (int j = 0; j < n; j++) {
                out[oOff + i * n + j] = dot(a, aOff + i * k, b, bOff + j * bj, bk, k);
            }
        }
    }

    private static float dot(float[] a, int ar, float[] b, int bc, int bk, int k) {
        float acc = 0f;
        for (int kk = 0; kk < k; kk++) {
            acc = Math.fma(a[ar + kk], b[bc + kk * bk], acc);
        }
        return acc;
    }

    private static void unary(Step.UnaryOp op, float alpha, float[] in, float[] out, int from, int to) {
        switch (op) {
            case NEG -> { for (int i = from; i < to; i++) out[i] = -in[i]; }
            case ABS -> { for (int i = from; i < to; i++) out[i] = abs(in[i]); }
            case SQRT -> { for (int i = from; i < to; i++) out[i] = FloatMath.sqrt(in[i]); }
            case RECIPROCAL -> { for (int i = from; i < to; i++) out[i] = 1f / in[i]; }
            case EXP -> { for (int i = from; i < to; i++) out[i] = FloatMath.exp(in[i]); }
            case LOG -> { for (int i = from; i < to; i++) out[i] = FloatMath.log(in[i]); }
            case ERF -> { for (int i = from; i < to; i++) out[i] = FloatMath.erf(in[i]); }
            case TANH -> { for (int i = from; i < to; i++) out[i] = FloatMath.tanh(in[i]); }
            case SIGMOID -> { for (int i = from; i < to; i++) out[i] = FloatMath.sigmoid(in[i]); }
            case SIN -> { for (int i = from; i < to; i++) out[i] = FloatMath.sin(in[i]); }
            case COS -> { for (int i = from; i < to; i++) out[i] = FloatMath.cos(in[i]); }
            case RELU -> { for (int i = from; i < to; i++) out[i] = Math.max(in[i], 0f); }
            case GELU -> { for (int i = from; i < to; i++) out[i] = FloatMath.gelu(in[i]); }
            case POW_CONST -> { for (int i = from; i < to; i++) out[i] = FloatMath.pow(in[i], alpha); }
            case SCALE -> { for (int i = from; i < to; i++) out[i] = in[i] * alpha; }
            case SHIFT -> { for (int i = from; i < to; i++) out[i] = in[i] + alpha; }
            case IDENTITY -> System.arraycopy(in, from, out, from, to - from);
        }
    }

    /** |x| by clearing the sign bit (Java 17's Math.abs keeps the sign of a NaN; the kernels clear it). */
    private static float abs(float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7fffffff);
    }

    private static float binary(Step.BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> FloatMath.pow(x, y);
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
        };
    }

    /**
     * Row-major iteration over a shape of rank up to {@link Plan#MAX_RANK} with up to three operands'
     * strides and a dense output: the outer coordinates ("rows") and the last axis.
     */
    static final class Strided {
        final int rank;
        final int[] shape;
        final long[] s0, s1, s2;
        final long rows;
        final int inner;

        Strided(int[] shape, long[] s0, long[] s1, long[] s2) {
            this.rank = shape.length;
            this.shape = shape;
            this.s0 = s0;
            this.s1 = s1;
            this.s2 = s2;
            long r = 1;
            for (int d = 0; d + 1 < rank; d++) {
                r *= shape[d];
            }
            this.rows = rank == 0 ? 1 : r;
            this.inner = rank == 0 ? 1 : shape[rank - 1];
        }

        /** The offset of row {@code row}'s first element under strides {@code st}. */
        long offset(long row, long[] st) {
            long off = 0;
            for (int d = rank - 2; d >= 0; d--) {
                long c = row % shape[d];
                row /= shape[d];
                off += c * st[d];
            }
            return off;
        }

        long last(long[] st) {
            return rank == 0 ? 0 : st[rank - 1];
        }
    }

    private static void binary(Step.BinaryOp op, float[] a, float[] b, float[] out, Strided it, long from, long to) {
        int n = it.inner;
        int as = (int) it.last(it.s0), bs = (int) it.last(it.s1);
        for (long r = from; r < to; r++) {
            int ao = (int) it.offset(r, it.s0), bo = (int) it.offset(r, it.s1), o = (int) (r * n);
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j * as] + b[bo + j * bs]; }
                case SUB -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j * as] - b[bo + j * bs]; }
                case MUL -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j * as] * b[bo + j * bs]; }
                case DIV -> { for (int j = 0; j < n; j++) out[o + j] = a[ao + j * as] / b[bo + j * bs]; }
                default -> { for (int j = 0; j < n; j++) out[o + j] = binary(op, a[ao + j * as], b[bo + j * bs]); }
            }
        }
    }

    private static void intBinary(Step.IntBinaryOp op, int[] a, int[] b, int[] out, Strided it, long from, long to) {
        int n = it.inner;
        int as = (int) it.last(it.s0), bs = (int) it.last(it.s1);
        for (long r = from; r < to; r++) {
            int ao = (int) it.offset(r, it.s0), bo = (int) it.offset(r, it.s1), o = (int) (r * n);
            for (int j = 0; j < n; j++) {
                int x = a[ao + j * as], y = b[bo + j * bs];
                out[o + j] = switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                };
            }
        }
    }

    private static void where(int[] cond, Object a, Object b, Object out, Strided it, long from, long to) {
        int n = it.inner;
        int as = (int) it.last(it.s0), bs = (int) it.last(it.s1), cs = (int) it.last(it.s2);
        for (long r = from; r < to; r++) {
            int ao = (int) it.offset(r, it.s0), bo = (int) it.offset(r, it.s1), co = (int) it.offset(r, it.s2), o = (int) (r * n);
            if (out instanceof float[] f) {
                float[] fa = (float[]) a, fb = (float[]) b;
                for (int j = 0; j < n; j++) f[o + j] = cond[co + j * cs] != 0 ? fa[ao + j * as] : fb[bo + j * bs];
            } else {
                int[] f = (int[]) out, ia = (int[]) a, ib = (int[]) b;
                for (int j = 0; j < n; j++) f[o + j] = cond[co + j * cs] != 0 ? ia[ao + j * as] : ib[bo + j * bs];
            }
        }
    }

    private static void copy(Object in, Object out, long inOff, long outOff, Strided it, long from, long to) {
        int n = it.inner;
        int is = (int) it.last(it.s0), os = (int) it.last(it.s1);
        for (long r = from; r < to; r++) {
            int io = (int) (inOff + it.offset(r, it.s0)), oo = (int) (outOff + it.offset(r, it.s1));
            if (is == 1 && os == 1) {
                System.arraycopy(in, io, out, oo, n);
            } else if (in instanceof float[] fi) {
                float[] fo = (float[]) out;
                for (int j = 0; j < n; j++) fo[oo + j * os] = fi[io + j * is];
            } else {
                int[] ii = (int[]) in, io2 = (int[]) out;
                for (int j = 0; j < n; j++) io2[oo + j * os] = ii[io + j * is];
            }
        }
    }

    private static void reduce(Step.Reduce s, float[] in, float[] out, long from, long to) {
        long inner = s.inner(), reduced = s.reduced();
        for (long e = from; e < to; e++) {
            long o = e / inner, i = e % inner;
            long base = o * reduced * inner + i;
            float acc = 0f;
            for (long r = 0; r < reduced; r++) {
                acc = acc + in[(int) (base + r * inner)];
            }
            out[(int) e] = s.op() == Step.ReduceOp.SUM ? acc : acc / (float) reduced;
        }
    }

    private static void softmax(float[] in, float[] out, long from, long to, int cols) {
        for (long row = from; row < to; row++) {
            int o = (int) (row * cols);
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, in[o + j]);
            }
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                float e = FloatMath.exp(in[o + j] - m);
                out[o + j] = e;
                sum = sum + e;
            }
            for (int j = 0; j < cols; j++) {
                out[o + j] = out[o + j] / sum;
            }
        }
    }

    private static void gather(Step.Gather s, Object data, int[] idx, Object out) {
        int inner = (int) s.inner(), count = (int) s.count(), axisLen = (int) s.axisLen();
        for (int o = 0; o < s.outer(); o++) {
            for (int j = 0; j < count; j++) {
                int k = idx[j] < 0 ? idx[j] + axisLen : idx[j];
                if (k < 0 || k >= axisLen) {
                    throw new NnException("Gather index " + idx[j] + " outside [" + (-axisLen) + ", " + axisLen + ")");
                }
                System.arraycopy(data, (o * axisLen + k) * inner, out, (o * count + j) * inner, inner);
            }
        }
    }
}
