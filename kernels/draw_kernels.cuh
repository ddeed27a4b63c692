// The host engine's random draws, on the device: raw Philox blocks and uniforms (Philox.block,
// Philox.uniform), categorical draws (ArProcess.categorical), Box-Muller normals
// (DiffusionProcess.standardNormals) and per-request sums of log-probabilities (what
// ArProcess.logChain computes from a round's rows).
#ifndef AS_DRAW_KERNELS_CUH
#define AS_DRAW_KERNELS_CUH

#include "as_compat.cuh"
#include "philox.cuh"

struct PhiloxArgs {
    long long count;
    const uint32_t* keys;     // 2 per item
    const uint32_t* counters; // 4 per item
    uint32_t* blocks;         // 4 per item out
    double* uniforms;         // 1 per item out: uniform from words 0 and 1
};
AS_ASSERT_SIZE(PhiloxArgs, 40);

AS_HD void as_philox_item(const PhiloxArgs& a, long long i) {
    const uint32_t* k = a.keys + 2 * i;
    const uint32_t* c = a.counters + 4 * i;
    uint32_t* w = a.blocks + 4 * i;
    as_philox_block(k[0], k[1], c[0], c[1], c[2], c[3], w);
    a.uniforms[i] = as_to_uniform(((uint64_t) w[0] << 32) | w[1]);
}

// ArProcess.categorical: the smallest v whose cumulative mass exceeds u times the row's total;
// -1 for a row without mass.
AS_HD int as_categorical(const double* row, int q, double u) {
    double total = 0;
    for (int v = 0; v < q; v++) total += row[v];
    if (!(total > 0)) return -1;
    double t = u * total;
    double cum = 0;
    int last = -1;
    for (int v = 0; v < q; v++) {
        double p = row[v];
        if (p > 0) {
            cum += p;
            last = v;
            if (cum > t) return v;
        }
    }
    return last;
}

struct CategoricalArgs {
    long long count;
    const double* rows;      // q per row
    const int32_t* rowIndex; // row of draw i
    const double* uniforms;  // u of draw i
    int32_t* out;
    int32_t q, pad;
};
AS_ASSERT_SIZE(CategoricalArgs, 48);

AS_HD void as_categorical_item(const CategoricalArgs& a, long long i) {
    a.out[i] = as_categorical(a.rows + (long long) a.rowIndex[i] * a.q, a.q, a.uniforms[i]);
}

// DiffusionProcess.standardNormals: normals 2 blk and 2 blk + 1 of a step come from Philox block
// (DRAFT, step, blk, 0) of the key: u1 = 1 - uniform(w0, w1), u2 = uniform(w2, w3),
// r = sqrt(-2 log u1), angle = 2 pi u2, (r cos, r sin).
struct NormalArgs {
    long long count;        // items x blocks
    const uint32_t* keys;   // 2 per item
    const int32_t* steps;   // 1 per item
    double* out;            // d per item
    int32_t d, blocks;      // blocks = ceil(d / 2)
};
AS_ASSERT_SIZE(NormalArgs, 40);

AS_HD void as_normals_item(const NormalArgs& a, long long i) {
    long long item = i / a.blocks;
    int blk = (int) (i - item * a.blocks);
    uint32_t w[4];
    as_philox_block(a.keys[2 * item], a.keys[2 * item + 1], AS_PURPOSE_DRAFT, (uint32_t) a.steps[item], (uint32_t) blk, 0, w);
    double u1 = 1.0 - as_to_uniform(((uint64_t) w[0] << 32) | w[1]);
    double u2 = as_to_uniform(((uint64_t) w[2] << 32) | w[3]);
    double r = sqrt(-2.0 * log(u1));
    double angle = 2.0 * 3.141592653589793 * u2;
    double* o = a.out + item * a.d;
    o[2 * blk] = r * cos(angle);
    if (2 * blk + 1 < a.d) o[2 * blk + 1] = r * sin(angle);
}

// ArProcess.logChain's sum: request r adds log rows[(first + i) q + values[off + i]] over i < count.
// bad[r] = the first row index whose row is all zero while the sum was still finite (the host
// reports it as an oracle inconsistency), else -1.
struct LogSumArgs {
    long long count;          // requests
    const double* rows;
    const int32_t* requests;  // 3 per request: first row, count, value offset
    const int32_t* values;
    double* out;
    int32_t* bad;
    int32_t q, pad;
};
AS_ASSERT_SIZE(LogSumArgs, 56);

AS_HD void as_log_sum_item(const LogSumArgs& a, long long r) {
    const int32_t* req = a.requests + 3 * r;
    int first = req[0], count = req[1];
    const int32_t* x = a.values + req[2];
    double sum = 0;
    int bad = -1;
    for (int i = 0; i < count; i++) {
        long long j = first + i;
        const double* row = a.rows + j * a.q;
        double p = row[x[i]];
        if (p == 0 && sum != -INFINITY && bad < 0) {
            bool zero = true;
            for (int v = 0; v < a.q; v++) zero = zero && row[v] == 0;
            if (zero) bad = (int) j;
        }
        sum += log(p);
    }
    a.out[r] = sum;
    a.bad[r] = bad;
}

#define AS_DRAW_KERNELS(X)                 \
    X(as_philox, PhiloxArgs)               \
    X(as_categorical, CategoricalArgs)     \
    X(as_normals, NormalArgs)              \
    X(as_log_sum, LogSumArgs)

#endif
