package io.autospec.cuda;

import io.autospec.nn.FloatMath;
import io.autospec.nn.Plan;
import io.autospec.nn.Slot;
import io.autospec.nn.Step;

/**
 * The semantics of {@link Step} computed directly in Java (element by element, with {@link FloatMath}
 * and {@link Math#fma}), what the CUDA executor is compared to bit for bit. Slots hold raw 4-byte
 * values; INT outputs come back as float values, as the executors return them.
 */
final class StepReference {
    private StepReference() {}

    static float[][] run(Plan plan, Object[] inputs) {
        int[][] mem = new int[plan.slots().size()][];
        for (Slot s : plan.slots()) {
            mem[s.id()] = new int[(int) s.elements()];
            if (s.kind() == Slot.Kind.CONSTANT) load(mem[s.id()], s.type() == Slot.Type.FLOAT ? s.floats() : s.ints());
        }
        for (int i = 0; i < inputs.length; i++) load(mem[plan.inputSlots()[i]], inputs[i]);
        for (Step step : plan.steps()) apply(step, mem);
        float[][] out = new float[plan.outputSlots().length][];
        for (int i = 0; i < out.length; i++) {
            Slot s = plan.slots().get(plan.outputSlots()[i]);
            int[] raw = mem[s.id()];
            out[i] = new float[raw.length];
            for (int j = 0; j < raw.length; j++) out[i][j] = s.type() == Slot.Type.FLOAT ? Float.intBitsToFloat(raw[j]) : raw[j];
        }
        return out;
    }

    private static void load(int[] dst, Object src) {
        if (src instanceof float[] f) for (int i = 0; i < f.length; i++) dst[i] = Float.floatToRawIntBits(f[i]);
        else System.arraycopy((int[]) src, 0, dst, 0, dst.length);
    }

    private static float f(int[] m, long i) {
        return Float.intBitsToFloat(m[(int) i]);
    }

    private static void set(int[] m, long i, float v) {
        m[(int) i] = Float.floatToRawIntBits(v);
    }

    static float unary(Step.UnaryOp op, float x, float alpha) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7fffffff);
            case SQRT -> FloatMath.sqrt(x);
            case RECIPROCAL -> 1f / x;
            case EXP -> FloatMath.exp(x);
            case LOG -> FloatMath.log(x);
            case ERF -> FloatMath.erf(x);
            case TANH -> FloatMath.tanh(x);
            case SIGMOID -> FloatMath.sigmoid(x);
            case SIN -> FloatMath.sin(x);
            case COS -> FloatMath.cos(x);
            case RELU -> Math.max(x, 0f);
            case GELU -> FloatMath.gelu(x);
            case POW_CONST -> FloatMath.pow(x, alpha);
            case SCALE -> x * alpha;
            case SHIFT -> x + alpha;
            case IDENTITY -> x;
        };
    }

    static float binary(Step.BinaryOp op, float x, float y) {
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

    /** Offset of row-major item i of shape in an array with these strides. */
    private static long offset(long i, int[] shape, long[] strides) {
        long off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (i % shape[d]) * strides[d];
            i /= shape[d];
        }
        return off;
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    static void apply(Step step, int[][] mem) {
        int[] out = mem[step.out()];
        if (step instanceof Step.MatMul s) {
            int[] a = mem[s.a()], b = mem[s.b()];
            for (int bt = 0; bt < s.batch(); bt++) {
                for (int i = 0; i < s.m(); i++) {
                    for (int j = 0; j < s.n(); j++) {
                        float acc = 0f;
                        for (int k = 0; k < s.kDim(); k++) {
                            long bi = bt * s.bBatchStride() + (s.transB() ? (long) j * s.kDim() + k : (long) k * s.n() + j);
                            acc = Math.fma(f(a, bt * s.aBatchStride() + (long) i * s.kDim() + k), f(b, bi), acc);
                        }
                        set(out, ((long) bt * s.m() + i) * s.n() + j, s.bias() < 0 ? acc : acc + f(mem[s.bias()], j));
                    }
                }
            }
        } else if (step instanceof Step.Unary s) {
            int[] in = mem[s.in()];
            for (long i = 0; i < s.count(); i++) set(out, i, unary(s.op(), f(in, i), s.alpha()));
        } else if (step instanceof Step.Binary s) {
            for (long i = 0; i < count(s.shape()); i++) {
                set(out, i, binary(s.op(), f(mem[s.a()], offset(i, s.shape(), s.aStrides())), f(mem[s.b()], offset(i, s.shape(), s.bStrides()))));
            }
        } else if (step instanceof Step.IntBinary s) {
            for (long i = 0; i < count(s.shape()); i++) {
                int x = mem[s.a()][(int) offset(i, s.shape(), s.aStrides())], y = mem[s.b()][(int) offset(i, s.shape(), s.bStrides())];
                out[(int) i] = switch (s.op()) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                };
            }
        } else if (step instanceof Step.Where s) {
            for (long i = 0; i < count(s.shape()); i++) {
                boolean c = mem[s.cond()][(int) offset(i, s.shape(), s.condStrides())] != 0;
                out[(int) i] = c ? mem[s.a()][(int) offset(i, s.shape(), s.aStrides())] : mem[s.b()][(int) offset(i, s.shape(), s.bStrides())];
            }
        } else if (step instanceof Step.Copy s) {
            for (long i = 0; i < count(s.shape()); i++) {
                out[(int) (s.outOffset() + offset(i, s.shape(), s.outStrides()))] = mem[s.in()][(int) (s.inOffset() + offset(i, s.shape(), s.inStrides()))];
            }
        } else if (step instanceof Step.Reduce s) {
            int[] in = mem[s.in()];
            for (long o = 0; o < s.outer(); o++) {
                for (long i = 0; i < s.inner(); i++) {
                    float acc = 0f;
                    for (long r = 0; r < s.reduced(); r++) acc = acc + f(in, (o * s.reduced() + r) * s.inner() + i);
                    set(out, o * s.inner() + i, s.op() == Step.ReduceOp.MEAN ? acc / (float) s.reduced() : acc);
                }
            }
        } else if (step instanceof Step.Softmax s) {
            int[] in = mem[s.in()];
            for (long r = 0; r < s.rows(); r++) {
                float m = Float.NEGATIVE_INFINITY;
                for (long j = 0; j < s.cols(); j++) m = Math.max(m, f(in, r * s.cols() + j));
                float[] e = new float[(int) s.cols()];
                float sum = 0f;
                for (int j = 0; j < e.length; j++) {
                    e[j] = FloatMath.exp(f(in, r * s.cols() + j) - m);
                    sum = sum + e[j];
                }
                for (int j = 0; j < e.length; j++) set(out, r * s.cols() + j, e[j] / sum);
            }
        } else if (step instanceof Step.Gather s) {
            int[] data = mem[s.data()], idx = mem[s.indices()];
            for (long o = 0; o < s.outer(); o++) {
                for (long j = 0; j < s.count(); j++) {
                    long ix = idx[(int) j] < 0 ? idx[(int) j] + s.axisLen() : idx[(int) j];
                    for (long i = 0; i < s.inner(); i++) out[(int) ((o * s.count() + j) * s.inner() + i)] = data[(int) ((o * s.axisLen() + ix) * s.inner() + i)];
                }
            }
        } else if (step instanceof Step.Cast s) {
            int[] in = mem[s.in()];
            for (int i = 0; i < s.count(); i++) {
                out[i] = s.op() == Step.CastOp.INT_TO_FLOAT ? Float.floatToRawIntBits((float) in[i]) : (int) Float.intBitsToFloat(in[i]);
            }
        } else {
            throw new IllegalArgumentException("no reference for " + step);
        }
    }
}
