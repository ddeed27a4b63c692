// The network kernels: one per io.autospec.nn.Step kind, with the per-element semantics of Step's
// Javadoc (one thread per output element, reductions in ascending index order from +0.0f, products
// accumulated as acc = fmaf(a, b, acc), transcendentals from nn_math.cuh), so the CUDA executor
// (io.autospec.cuda.CudaNetExecutor) gives the Java executor's bits whatever the batch. Elements are
// 4 bytes; Copy, Gather and Where move raw 4-byte values (float or int32), Cast converts, IntBinary
// computes in int32, the others in float.
//
// Item kernels (AS_DEFINE_GLOBAL: item i of [0, count) by a grid-stride loop) and the matmul, a tiled
// shared-memory GEMM written as three per-thread phases (load, accumulate, store) so that the host
// emulator runs the same code block by block. Operator codes are the ordinals of Step's enums.
#ifndef AS_NN_KERNELS_CUH
#define AS_NN_KERNELS_CUH

#include "as_compat.cuh"
#include "nn_math.cuh"

#define NN_MAX_RANK 6 // io.autospec.nn.Plan.MAX_RANK

// Java's Math.max / Math.min on floats: NaN wins, -0 < +0.
AS_HD float nn_max(float a, float b) {
    if (a != a) return a;
    if (a == 0.0f && b == 0.0f && nnm_bits(a) == 0x80000000u) return b;
    return a >= b ? a : b;
}

AS_HD float nn_min(float a, float b) {
    if (a != a) return a;
    if (a == 0.0f && b == 0.0f && nnm_bits(b) == 0x80000000u) return b;
    return a <= b ? a : b;
}

// Java's (int) f: truncation toward 0, NaN to 0, saturating at the int range.
AS_HD int32_t nn_float_to_int(float f) {
    if (f != f) return 0;
    if (f >= 2147483648.0f) return 2147483647;
    if (f <= -2147483648.0f) return (int32_t) 0x80000000u;
    return (int32_t) f;
}

// Offset of item i (row-major over shape[0..rank)) in an array with the given strides.
AS_HD long long nn_offset(long long i, int rank, const long long* shape, const long long* strides) {
    long long off = 0;
    for (int d = rank - 1; d >= 0; d--) {
        long long c = i % shape[d];
        i /= shape[d];
        off += c * strides[d];
    }
    return off;
}

// --------------------------------------------------------------------------------------- unary

// Step.UnaryOp ordinals.
enum NnUnaryOp {
    NN_NEG, NN_ABS, NN_SQRT, NN_RECIPROCAL, NN_EXP, NN_LOG, NN_ERF, NN_TANH, NN_SIGMOID, NN_SIN, NN_COS, NN_RELU,
    NN_GELU, NN_POW_CONST, NN_SCALE, NN_SHIFT, NN_IDENTITY
};

AS_HD float nn_unary_op(int op, float x, float alpha) {
    switch (op) {
        case NN_NEG: return -x;
        case NN_ABS: return nnm_abs(x);
        case NN_SQRT: return nn_sqrt(x);
        case NN_RECIPROCAL: return 1.0f / x;
        case NN_EXP: return nn_exp(x);
        case NN_LOG: return nn_log(x);
        case NN_ERF: return nn_erf(x);
        case NN_TANH: return nn_tanh(x);
        case NN_SIGMOID: return nn_sigmoid(x);
        case NN_SIN: return nn_sin(x);
        case NN_COS: return nn_cos(x);
        case NN_RELU: return nn_max(x, 0.0f);
        case NN_GELU: return nn_gelu(x);
        case NN_POW_CONST: return nn_pow(x, alpha);
        case NN_SCALE: return x * alpha;
        case NN_SHIFT: return x + alpha;
        default: return x; // NN_IDENTITY
    }
}

struct NnUnaryArgs {
    long long count;
    const float* in;
    float* out;
    float alpha;
    int32_t op;
};
AS_ASSERT_SIZE(NnUnaryArgs, 32);

AS_HD void as_nn_unary_item(const NnUnaryArgs& a, long long i) { a.out[i] = nn_unary_op(a.op, a.in[i], a.alpha); }

// -------------------------------------------------------------------------------------- binary

// Step.BinaryOp ordinals.
enum NnBinaryOp { NN_ADD, NN_SUB, NN_MUL, NN_DIV, NN_POW, NN_MAX, NN_MIN };

AS_HD float nn_binary_op(int op, float x, float y) {
    switch (op) {
        case NN_ADD: return x + y;
        case NN_SUB: return x - y;
        case NN_MUL: return x * y;
        case NN_DIV: return x / y;
        case NN_POW: return nn_pow(x, y);
        case NN_MAX: return nn_max(x, y);
        default: return nn_min(x, y); // NN_MIN
    }
}

struct NnBinaryArgs {
    long long count; // product of shape
    const float* a;
    const float* b;
    float* out;
    long long shape[NN_MAX_RANK];
    long long aStrides[NN_MAX_RANK];
    long long bStrides[NN_MAX_RANK];
    int32_t rank, op;
};
AS_ASSERT_SIZE(NnBinaryArgs, 184);

AS_HD void as_nn_binary_item(const NnBinaryArgs& a, long long i) {
    float x = a.a[nn_offset(i, a.rank, a.shape, a.aStrides)];
    float y = a.b[nn_offset(i, a.rank, a.shape, a.bStrides)];
    a.out[i] = nn_binary_op(a.op, x, y);
}

// ---------------------------------------------------------------------------------- int binary

// Step.IntBinaryOp ordinals.
enum NnIntBinaryOp { NN_INT_ADD, NN_INT_SUB, NN_INT_MUL };

// Two's-complement wrap-around like Java's int: computed on uint32_t (signed overflow is undefined in C++).
AS_HD int32_t nn_int_binary_op(int op, int32_t x, int32_t y) {
    uint32_t u = (uint32_t) x, v = (uint32_t) y;
    uint32_t r = op == NN_INT_ADD ? u + v : op == NN_INT_SUB ? u - v : u * v;
    return (int32_t) r;
}

struct NnIntBinaryArgs {
    long long count; // product of shape
    const int32_t* a;
    const int32_t* b;
    int32_t* out;
    long long shape[NN_MAX_RANK];
    long long aStrides[NN_MAX_RANK];
    long long bStrides[NN_MAX_RANK];
    int32_t rank, op;
};
AS_ASSERT_SIZE(NnIntBinaryArgs, 184);

AS_HD void as_nn_int_binary_item(const NnIntBinaryArgs& a, long long i) {
    int32_t x = a.a[nn_offset(i, a.rank, a.shape, a.aStrides)];
    int32_t y = a.b[nn_offset(i, a.rank, a.shape, a.bStrides)];
    a.out[i] = nn_int_binary_op(a.op, x, y);
}

// --------------------------------------------------------------------------------------- where

struct NnWhereArgs {
    long long count;
    const int32_t* cond;
    const uint32_t* a;
    const uint32_t* b;
    uint32_t* out;
    long long shape[NN_MAX_RANK];
    long long condStrides[NN_MAX_RANK];
    long long aStrides[NN_MAX_RANK];
    long long bStrides[NN_MAX_RANK];
    int32_t rank, pad;
};
AS_ASSERT_SIZE(NnWhereArgs, 240);

AS_HD void as_nn_where_item(const NnWhereArgs& a, long long i) {
    bool c = a.cond[nn_offset(i, a.rank, a.shape, a.condStrides)] != 0;
    a.out[i] = c ? a.a[nn_offset(i, a.rank, a.shape, a.aStrides)] : a.b[nn_offset(i, a.rank, a.shape, a.bStrides)];
}

// ---------------------------------------------------------------------------------------- copy

struct NnCopyArgs {
    long long count; // product of shape
    const uint32_t* in;
    uint32_t* out;
    long long inOffset, outOffset;
    long long shape[NN_MAX_RANK];
    long long inStrides[NN_MAX_RANK];
    long long outStrides[NN_MAX_RANK];
    int32_t rank, pad;
};
AS_ASSERT_SIZE(NnCopyArgs, 192);

AS_HD void as_nn_copy_item(const NnCopyArgs& a, long long i) {
    a.out[a.outOffset + nn_offset(i, a.rank, a.shape, a.outStrides)] = a.in[a.inOffset + nn_offset(i, a.rank, a.shape, a.inStrides)];
}

// -------------------------------------------------------------------------------------- reduce

// Step.ReduceOp ordinals.
enum NnReduceOp { NN_SUM, NN_MEAN };

// Item o * inner + i of [outer, inner]: the middle axis of [outer, reduced, inner], ascending.
struct NnReduceArgs {
    long long count; // outer * inner
    const float* in;
    float* out;
    long long reduced, inner;
    int32_t op, pad;
};
AS_ASSERT_SIZE(NnReduceArgs, 48);

AS_HD void as_nn_reduce_item(const NnReduceArgs& a, long long item) {
    long long o = item / a.inner, i = item - o * a.inner;
    const float* p = a.in + o * a.reduced * a.inner + i;
    float acc = 0.0f;
    for (long long r = 0; r < a.reduced; r++) acc = acc + p[r * a.inner];
    a.out[item] = a.op == NN_MEAN ? acc / (float) a.reduced : acc;
}

// ------------------------------------------------------------------------------------- softmax

// One thread per row: the max, then e_j = exp(x_j - max) (stored) summed in ascending j, then e_j / sum.
struct NnSoftmaxArgs {
    long long count; // rows
    const float* in;
    float* out;
    long long cols;
};
AS_ASSERT_SIZE(NnSoftmaxArgs, 32);

AS_HD void as_nn_softmax_item(const NnSoftmaxArgs& a, long long row) {
    const float* x = a.in + row * a.cols;
    float* y = a.out + row * a.cols;
    float m = -NNM_INF;
    for (long long j = 0; j < a.cols; j++) m = nn_max(m, x[j]);
    float s = 0.0f;
    for (long long j = 0; j < a.cols; j++) {
        float e = nn_exp(x[j] - m);
        y[j] = e;
        s = s + e;
    }
    for (long long j = 0; j < a.cols; j++) y[j] = y[j] / s;
}

// -------------------------------------------------------------------------------------- gather

struct NnGatherArgs {
    long long count; // outer * indices * inner
    const uint32_t* data;
    const int32_t* indices;
    uint32_t* out;
    long long axisLen, inner, indexCount;
};
AS_ASSERT_SIZE(NnGatherArgs, 56);

AS_HD void as_nn_gather_item(const NnGatherArgs& a, long long item) {
    long long i = item % a.inner, rest = item / a.inner;
    long long j = rest % a.indexCount, o = rest / a.indexCount;
    long long idx = a.indices[j];
    if (idx < 0) idx += a.axisLen;
    // An index computed on the device outside the axis (which the Java executor refuses) reads nothing:
    // the element gets the bits of a quiet NaN.
    a.out[item] = idx >= 0 && idx < a.axisLen ? a.data[(o * a.axisLen + idx) * a.inner + i] : 0x7fc00000u;
}

// ---------------------------------------------------------------------------------------- cast

// Step.CastOp ordinals.
enum NnCastOp { NN_INT_TO_FLOAT, NN_FLOAT_TO_INT };

struct NnCastArgs {
    long long count;
    const uint32_t* in;
    uint32_t* out;
    int32_t op, pad;
};
AS_ASSERT_SIZE(NnCastArgs, 32);

AS_HD void as_nn_cast_item(const NnCastArgs& a, long long i) {
    uint32_t v = a.in[i];
    a.out[i] = a.op == NN_INT_TO_FLOAT ? nnm_bits((float) (int32_t) v) : (uint32_t) nn_float_to_int(nnm_float(v));
}

#define AS_NN_KERNELS(X)                    \
    X(as_nn_unary, NnUnaryArgs)             \
    X(as_nn_binary, NnBinaryArgs)           \
    X(as_nn_int_binary, NnIntBinaryArgs)    \
    X(as_nn_where, NnWhereArgs)             \
    X(as_nn_copy, NnCopyArgs)               \
    X(as_nn_reduce, NnReduceArgs)           \
    X(as_nn_softmax, NnSoftmaxArgs)         \
    X(as_nn_gather, NnGatherArgs)           \
    X(as_nn_cast, NnCastArgs)

// -------------------------------------------------------------------------------------- matmul

// out[bt, i, j] = sum_k A[bt, i, k] B[bt, k, j] (+ bias[j]) by 64 x 64 output tiles: a block of
// NN_MM_THREADS threads stages 16-wide slices of A and B in shared memory, and each thread keeps a
// 4 x 4 micro-tile (rows ty + 16 r, columns tx + 16 c) in registers. Every output element is still
// accumulated alone, in ascending k, acc = fmaf(a, b, acc) from 0.0f: the tiling changes which
// thread computes it, never its operations, and it is the same for every batch size.
#define NN_MM_TILE 64
#define NN_MM_K 16
#define NN_MM_THREADS 256
#define NN_MM_PAD (NN_MM_TILE + 1) // shared rows padded against bank conflicts on the transposing stores

struct NnMatMulArgs {
    long long count; // tiles: batch * tilesM * tilesN
    const float* a;
    const float* b;
    const float* bias; // n floats, or NULL
    float* out;
    long long aBatchStride, bBatchStride;
    int32_t m, n, k, transB, tilesM, tilesN;
};
AS_ASSERT_SIZE(NnMatMulArgs, 80);

struct NnTile {
    long long bt;
    int row0, col0;
};

AS_HD NnTile nn_matmul_tile(const NnMatMulArgs& a, long long t) {
    long long perBatch = (long long) a.tilesM * a.tilesN;
    NnTile tile;
    tile.bt = t / perBatch;
    long long r = t - tile.bt * perBatch;
    tile.row0 = (int) (r / a.tilesN) * NN_MM_TILE;
    tile.col0 = (int) (r % a.tilesN) * NN_MM_TILE;
    return tile;
}

// Phase 1, thread tid: its 4 elements of the A slice (rows row0.., k in [k0, k0 + 16)) into As[k][row]
// and 4 of the B slice into Bs[k][col]; zeros outside the matrices.
AS_HD void nn_matmul_load(const NnMatMulArgs& a, long long t, int k0, int tid, float (*As)[NN_MM_PAD], float (*Bs)[NN_MM_PAD]) {
    NnTile tile = nn_matmul_tile(a, t);
    const float* A = a.a + tile.bt * a.aBatchStride;
    const float* B = a.b + tile.bt * a.bBatchStride;
    for (int l = 0; l < NN_MM_TILE * NN_MM_K / NN_MM_THREADS; l++) {
        int e = tid + l * NN_MM_THREADS;
        int row = e / NN_MM_K, kk = e % NN_MM_K; // k fastest: A rows are contiguous in k
        int gi = tile.row0 + row, gk = k0 + kk;
        As[kk][row] = gi < a.m && gk < a.k ? A[(long long) gi * a.k + gk] : 0.0f;
        int col, kb;
        if (a.transB) { // B[j, k]: k fastest
            col = e / NN_MM_K;
            kb = e % NN_MM_K;
        } else {        // B[k, j]: j fastest
            col = e % NN_MM_TILE;
            kb = e / NN_MM_TILE;
        }
        int gj = tile.col0 + col, gkb = k0 + kb;
        float v = 0.0f;
        if (gj < a.n && gkb < a.k) v = a.transB ? B[(long long) gj * a.k + gkb] : B[(long long) gkb * a.n + gj];
        Bs[kb][col] = v;
    }
}

// Phase 2, thread tid: acc[r][c] = fmaf(A[row_r, k], B[k, col_c], acc[r][c]) for the slice's k in
// ascending order, stopping at the matrices' k (no padding enters a sum).
AS_HD void nn_matmul_accumulate(const NnMatMulArgs& a, int k0, int tid, const float (*As)[NN_MM_PAD], const float (*Bs)[NN_MM_PAD],
                                float* acc) {
    int ty = tid / 16, tx = tid % 16;
    int kEnd = a.k - k0 < NN_MM_K ? a.k - k0 : NN_MM_K;
    for (int kk = 0; kk < kEnd; kk++) {
        float av[4], bv[4];
#pragma unroll
        for (int r = 0; r < 4; r++) av[r] = As[kk][ty + 16 * r];
#pragma unroll
        for (int c = 0; c < 4; c++) bv[c] = Bs[kk][tx + 16 * c];
#pragma unroll
        for (int r = 0; r < 4; r++)
#pragma unroll
            for (int c = 0; c < 4; c++) acc[r * 4 + c] = fmaf(av[r], bv[c], acc[r * 4 + c]);
    }
}

// Phase 3, thread tid: its micro-tile's elements inside the matrix, plus the bias.
AS_HD void nn_matmul_store(const NnMatMulArgs& a, long long t, int tid, const float* acc) {
    NnTile tile = nn_matmul_tile(a, t);
    int ty = tid / 16, tx = tid % 16;
    float* out = a.out + tile.bt * a.m * (long long) a.n;
    for (int r = 0; r < 4; r++) {
        int i = tile.row0 + ty + 16 * r;
        if (i >= a.m) continue;
        for (int c = 0; c < 4; c++) {
            int j = tile.col0 + tx + 16 * c;
            if (j >= a.n) continue;
            float v = acc[r * 4 + c];
            out[(long long) i * a.n + j] = a.bias ? v + a.bias[j] : v;
        }
    }
}

#endif
