package io.autospec.nn;

/**
 * One primitive of a {@link Plan}: what one kernel launch does, over {@link Slot}s named by index.
 * Every executor (the Java {@link HostExecutor}, the CUDA one in autospec-cuda) implements exactly
 * these semantics, and they are written so that the bits of an output element never depend on the
 * batch: each element is computed by one thread, reductions run in ascending index order, products
 * are accumulated with a fused multiply-add ({@code acc = fma(a, b, acc)}, starting from +0.0f),
 * and transcendentals come from {@link FloatMath} (kernels/nn_math.cuh on the device, the same
 * operations in the same order). Elements are 4 bytes (float32 or int32); slots are dense row-major
 * arrays; offsets and strides count elements. Shapes given here are the full static shapes of the
 * launch (the batch dimension included).
 *
 * <p>Float arithmetic is IEEE binary32 with round-to-nearest-even and subnormals kept (no flush to
 * zero); {@code +, -, *, /} and sqrt are correctly rounded and never contracted into an fma. A NaN
 * result is some quiet NaN: its sign and payload are not specified (executors are compared with all
 * NaNs equal); every other result, signed zeros included, is specified to the bit. Steps that move
 * data (Copy, Gather, Where) copy raw 4-byte values, float or int32 alike.
 */
public sealed interface Step {

    /** The slot this step writes. */
    int out();

    /** The slots this step reads (the planner's liveness and slot reuse follow them). */
    int[] inputs();

    /**
     * Batched matrix product: for bt in [0, batch), i in [0, m), j in [0, n):
     * {@code acc = 0f; for k in [0, kDim): acc = fma(A[aOff(bt) + i*kDim + k], B[bOff(bt) + (transB ? j*kDim + k : k*n + j)], acc);
     * out[bt*m*n + i*n + j] = bias < 0 ? acc : acc + Bias[j]} (the bias added once, after the last
     * product), where {@code aOff(bt) = bt * aBatchStride}
     * and {@code bOff(bt) = bt * bBatchStride} (a stride of 0 broadcasts one matrix over the batch).
     * Gemm's alpha/beta other than 1 and a bias that is not one row of n are lowered to other steps.
     */
    record MatMul(int a, int b, int bias, int out, int batch, int m, int n, int kDim,
                  long aBatchStride, long bBatchStride, boolean transB) implements Step {
        @Override
        public int[] inputs() {
            return bias < 0 ? new int[] {a, b} : new int[] {a, b, bias};
        }
    }

    /** Elementwise {@code out[i] = f(in[i])} for i in [0, count), f from {@link UnaryOp} (float slots). */
    record Unary(UnaryOp op, int in, int out, long count, float alpha) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }
    }

    /**
     * Elementwise with broadcasting: for every coordinate c of {@code shape} (row-major, out dense),
     * {@code out[c] = op(A[sum c_d * aStrides[d]], B[sum c_d * bStrides[d]])} on float slots, op from
     * {@link BinaryOp}; a broadcast axis has stride 0. Rank at most {@link Plan#MAX_RANK}.
     */
    record Binary(BinaryOp op, int a, int b, int out, int[] shape, long[] aStrides, long[] bStrides) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {a, b};
        }
    }

    /**
     * Reduction of the middle axis of [outer, reduced, inner]:
     * {@code acc = 0f; for r in [0, reduced): acc = acc + in[(o*reduced + r)*inner + i]};
     * out[o*inner + i] = SUM: acc; MEAN: acc / (float) reduced} (a correctly rounded division by the
     * count, not a product with its reciprocal).
     */
    record Reduce(ReduceOp op, int in, int out, long outer, long reduced, long inner) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }
    }

    /**
     * Softmax along the last axis of [rows, cols], one row at a time: {@code m = -inf; for j ascending:
     * m = Math.max(m, x_j); s = 0f; for j ascending: e_j = FloatMath.exp(x_j - m), s = s + e_j;
     * out_j = e_j / s}. A NaN in the row makes the row NaN; a row of -inf gives NaN (exp(-inf - -inf));
     * a +inf gives NaN (inf - inf).
     */
    record Softmax(int in, int out, long rows, long cols) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }
    }

    /**
     * Gather along the middle axis of data [outer, axisLen, inner] with int32 indices [count]:
     * {@code out[(o*count + j)*inner + i] = data[(o*axisLen + idx_j)*inner + i]}, idx_j negative
     * meaning idx_j + axisLen; data is float or int32 (moved as raw bits). Indices out of range are the
     * caller's to prevent: constant indices are checked when the plan is built, plan inputs used as
     * indices before each run (by every executor, naming the input). An index computed at run time
     * (e.g. by {@link IntBinary}) that falls outside makes the Java executor throw, and the device
     * write the bits of a quiet NaN (0x7fc00000) for the element instead of reading outside the data.
     */
    record Gather(int data, int indices, int out, long outer, long axisLen, long inner, long count) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {data, indices};
        }
    }

    /**
     * Strided copy of 4-byte elements (Transpose, Slice, Concat, Expand, Tile, ...): for every
     * coordinate c of {@code shape}, {@code out[outOffset + sum c_d*outStrides[d]] = in[inOffset + sum c_d*inStrides[d]]}.
     * Rank at most {@link Plan#MAX_RANK}.
     */
    record Copy(int in, int out, int[] shape, long inOffset, long[] inStrides, long outOffset, long[] outStrides) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }
    }

    /**
     * Conversion {@code out[i] = (float) in[i]} (INT_TO_FLOAT, rounded to nearest even) or Java's
     * {@code (int) in[i]} (FLOAT_TO_INT: truncation toward 0, NaN to 0, saturating at
     * Integer.MIN_VALUE and Integer.MAX_VALUE).
     */
    record Cast(CastOp op, int in, int out, long count) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {in};
        }
    }

    /**
     * Broadcasting select {@code out[c] = cond[c] != 0 ? A[c] : B[c]}, strides as in {@link Binary}:
     * cond is an INT slot read as int32 (any nonzero value selects A); A, B and out are both float or
     * both int32, moved as raw bits.
     */
    record Where(int cond, int a, int b, int out, int[] shape, long[] condStrides, long[] aStrides, long[] bStrides) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {cond, a, b};
        }
    }

    /**
     * Elementwise int32 arithmetic with broadcasting, for index arithmetic at run time (e.g. tokens plus
     * per-position offsets into one embedding table): for every coordinate c of {@code shape} (row-major,
     * out dense), {@code out[c] = op(A[sum c_d * aStrides[d]], B[sum c_d * bStrides[d]])} on INT slots,
     * with two's-complement wrap-around (Java {@code int} and CUDA {@code int} arithmetic agree).
     * Rank at most {@link Plan#MAX_RANK}.
     */
    record IntBinary(IntBinaryOp op, int a, int b, int out, int[] shape, long[] aStrides, long[] bStrides) implements Step {
        @Override
        public int[] inputs() {
            return new int[] {a, b};
        }
    }

    /**
     * Unary functions; {@code alpha} of {@link Unary} is used by those that say so. NEG is {@code -x};
     * ABS clears the sign bit (-0 gives +0); RECIPROCAL is {@code 1f / x}; SQRT, EXP, LOG, ERF, TANH,
     * SIGMOID, SIN, COS are {@link FloatMath}'s.
     */
    enum UnaryOp {
        NEG, ABS, SQRT, RECIPROCAL, EXP, LOG, ERF, TANH, SIGMOID, SIN, COS,
        /** {@code Math.max(x, 0f)}: NaN stays NaN, -0 gives +0. */
        RELU,
        /** x * 0.5 * (1 + erf(x / sqrt 2)), the exact Gelu, as {@code FloatMath.gelu}. */
        GELU,
        /** x^alpha, as {@link FloatMath#pow(float, float)} with a constant exponent. */
        POW_CONST,
        /** x * alpha. */
        SCALE,
        /** x + alpha. */
        SHIFT,
        /** x (a copy). */
        IDENTITY
    }

    /**
     * Binary functions: a+b, a-b, a*b, a/b, FloatMath.pow(a, b), and Java's Math.max / Math.min (NaN
     * if either is NaN; -0 is below +0, so max(-0, +0) = +0 and min(-0, +0) = -0 in either order).
     */
    enum BinaryOp { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    enum ReduceOp { SUM, MEAN }

    enum CastOp { INT_TO_FLOAT, FLOAT_TO_INT }

    /** int32 a+b, a-b, a*b (wrapping). */
    enum IntBinaryOp { ADD, SUB, MUL }
}
