// Conditional marginals of the AR zoo (io.autospec.ar.models) in the compact batch layout, one
// thread per query, with the Java code's arithmetic in the Java code's order (so that, compiled
// with --fmad=false, results are bit-identical except where a transcendental is involved).
//
// Shared layout (io.autospec.cuda.ArLaunch):
//   queries   4 int32 per query: position, k (pinned steps), value base, order base; the host
//             uploads one record per request and as_ar_expand writes these on the device
//   values    the value arena: a branch's pinned values in step order start at its value base
//   orders    the order arena: per order, what the model needs (min-tree, ranks or sigma + T2)
//   summaries int64 per query: the branch's prefix summary after k steps (Curie-Weiss, parity)
//   out       q doubles per query
#ifndef AS_AR_KERNELS_CUH
#define AS_AR_KERNELS_CUH

#include "as_compat.cuh"

// ---------------------------------------------------------------------------------------------
// Value/order arena upload: patch p copies src[srcOff, srcOff + len) to dst[dstOff, ...).
struct ScatterArgs {
    long long count;        // patches
    int32_t* dst;
    const int32_t* src;
    const int32_t* patches; // 3 per patch: dstOff, srcOff, len
};
AS_ASSERT_SIZE(ScatterArgs, 32);

AS_HD void as_scatter_ints_item(const ScatterArgs& a, long long p) {
    const int32_t* d = a.patches + 3 * p;
    int32_t* to = a.dst + d[0];
    const int32_t* from = a.src + d[1];
    for (int32_t i = 0; i < d[2]; i++) to[i] = from[i];
}

// ---------------------------------------------------------------------------------------------
// Request records (io.autospec.cuda.ArPacker): the queries of one request are steps r in
// [step, step + ...) of one branch, at position sigma(r), with k = min(r, kArg) (a chain or an
// iterate) or k = kArg (marginals), and, when scored, the branch's own value at step r as the scored
// value. A lone query (AS_REQ_SINGLE) carries its position in `step` and its k in `kArg`, its scored
// value + 1 in the flags' upper bits. Records are in query order; a query's record is the last one
// whose first query is not after it.
#define AS_REQ_INTS 8
#define AS_REQ_CHAIN 1
#define AS_REQ_SCORED 2
#define AS_REQ_SINGLE 4

struct ExpandArgs {
    long long count;         // queries
    const int32_t* records;  // AS_REQ_INTS per request: first query, step, kArg, value base, order base, sigma base, flags, output offset
    const int32_t* orders;   // the order arena: the model's own record at a record's order base, sigma at its sigma base
    const int32_t* values;   // the value arena (scored values)
    int32_t* queries;        // out: 4 per query
    int32_t* meta;           // out, or null: 2 per query for as_validate_rows (scored value, output offset)
    int32_t requests, q;
    int32_t chainShift;      // 0; 1 only in the tests' planted wrong variant (a chain's k one step late)
    int32_t pad;
};
AS_ASSERT_SIZE(ExpandArgs, 64);

AS_HD void as_ar_expand_item(const ExpandArgs& a, long long i) {
    int lo = 0, hi = a.requests - 1;
    while (lo < hi) {
        int mid = (int) (((unsigned) lo + (unsigned) hi + 1u) >> 1);
        if (a.records[AS_REQ_INTS * mid] <= i) lo = mid;
        else hi = mid - 1;
    }
    const int32_t* rc = a.records + AS_REQ_INTS * lo;
    int j = (int) (i - rc[0]), flags = rc[6], pos, k, x;
    if (flags & AS_REQ_SINGLE) {
        pos = rc[1];
        k = rc[2];
        x = (flags >> 8) - 1;
    } else {
        int r = rc[1] + j;
        pos = a.orders[rc[5] + r];
        int rk = r + a.chainShift;
        k = (flags & AS_REQ_CHAIN) ? (rk < rc[2] ? rk : rc[2]) : rc[2];
        x = (flags & AS_REQ_SCORED) ? a.values[rc[3] + r] : -1;
    }
    int32_t* qr = a.queries + 4 * i;
    qr[0] = pos;
    qr[1] = k;
    qr[2] = rc[3];
    qr[3] = rc[4];
    if (a.meta) {
        a.meta[2 * i] = x;
        a.meta[2 * i + 1] = rc[7] + j * (x >= 0 ? 1 : a.q);
    }
}

// ---------------------------------------------------------------------------------------------
// Order.pinnedBefore / pinnedAfter on the order's min-tree (node i has children 2i, 2i+1; the
// leaf of position p is leaves + p and holds rank(p); padding leaves hold INT_MAX).
AS_HD int as_pinned_before(const int32_t* tree, int leaves, int pos, int k) {
    int i = pos + leaves;
    while (i > 1) {
        if ((i & 1) == 1 && tree[i - 1] < k) {
            i--;
            while (i < leaves) i = tree[2 * i + 1] < k ? 2 * i + 1 : 2 * i;
            return i - leaves;
        }
        i >>= 1;
    }
    return -1;
}

AS_HD int as_pinned_after(const int32_t* tree, int leaves, int pos, int k) {
    int i = pos + leaves;
    while (i > 1) {
        if ((i & 1) == 0 && tree[i + 1] < k) {
            i++;
            while (i < leaves) i = tree[2 * i] < k ? 2 * i : 2 * i + 1;
            return i - leaves;
        }
        i >>= 1;
    }
    return -1;
}

// ---------------------------------------------------------------------------------------------
// ProductOracle: the position's own law.
struct ProductArgs {
    long long count;
    const int32_t* queries;
    const double* marginals; // n x q
    double* out;
    int32_t q, pad;
};
AS_ASSERT_SIZE(ProductArgs, 40);

AS_HD void as_ar_product_item(const ProductArgs& a, long long i) {
    int pos = a.queries[4 * i];
    const double* m = a.marginals + (long long) pos * a.q;
    double* o = a.out + i * a.q;
    for (int v = 0; v < a.q; v++) o[v] = m[v];
}

// ---------------------------------------------------------------------------------------------
// MarkovChain: nearest pinned neighbours l < pos < r via the min-tree; left factor from pi P^pos or
// P^(pos-l), right factor from P^(r-pos); powers from the table, else binary powering of squares.
struct MarkovArgs {
    long long count;
    const int32_t* queries;
    const int32_t* values;
    const int32_t* orders;    // min-tree (2 * leaves ints) per order
    const double* initialAt;  // n x q: pi P^t
    const double* powers;     // n x q x q: P^d, or null
    const double* squares;    // levels x q x q: P^(2^j) (when powers is null)
    double* scratch;          // 3q per query (when powers is null)
    double* out;
    int32_t n, q, leaves, levels;
};
AS_ASSERT_SIZE(MarkovArgs, 88);

// MarkovChain.vecMat: out[b] = sum_a v[a] m[a q + b], a in increasing order.
AS_HD void as_markov_vecmat(const double* v, const double* m, double* out, int q) {
    for (int b = 0; b < q; b++) {
        double s = 0;
        for (int x = 0; x < q; x++) s += v[x] * m[x * q + b];
        out[b] = s;
    }
}

// MarkovChain.rowOfPower: out = e_u P^d; scratch holds 3q doubles.
AS_HD void as_markov_row_of_power(const MarkovArgs& a, int u, int d, double* scratch, double* out) {
    int q = a.q;
    double* m = scratch;
    int v = 0, w = q;
    for (int x = 0; x < q; x++) m[x] = 0.0;
    m[u] = 1;
    for (int j = 0; d > 0; j++, d >>= 1) {
        if ((d & 1) != 0) {
            as_markov_vecmat(m + v, a.squares + (long long) j * q * q, m + w, q);
            int t = v;
            v = w;
            w = t;
        }
    }
    for (int x = 0; x < q; x++) out[x] = m[v + x];
}

// MarkovChain.columnOfPower: scratch[2q, 3q) = P^d e_vState; scratch[0, 2q) is workspace.
AS_HD void as_markov_column_of_power(const MarkovArgs& a, int vState, int d, double* scratch) {
    int q = a.q;
    int c = 0, w = q;
    for (int x = 0; x < q; x++) scratch[x] = 0.0;
    scratch[vState] = 1;
    for (int j = 0; d > 0; j++, d >>= 1) {
        if ((d & 1) != 0) {
            const double* m = a.squares + (long long) j * q * q;
            for (int x = 0; x < q; x++) {
                double s = 0;
                for (int b = 0; b < q; b++) s += m[x * q + b] * scratch[c + b];
                scratch[w + x] = s;
            }
            int t = c;
            c = w;
            w = t;
        }
    }
    for (int x = 0; x < q; x++) scratch[2 * q + x] = scratch[c + x];
}

AS_HD void as_ar_markov_item(const MarkovArgs& a, long long i) {
    const int32_t* qr = a.queries + 4 * i;
    int pos = qr[0], k = qr[1];
    const int32_t* vals = a.values + qr[2];
    const int32_t* tree = a.orders + qr[3];
    int q = a.q;
    double* o = a.out + i * q;
    double* scratch = a.powers ? 0 : a.scratch + i * 3 * q;
    int l = as_pinned_before(tree, a.leaves, pos, k);
    int r = as_pinned_after(tree, a.leaves, pos, k);
    if (l < 0) {
        const double* src = a.initialAt + (long long) pos * q;
        for (int x = 0; x < q; x++) o[x] = src[x];
    } else if (a.powers) {
        const double* src = a.powers + (long long) (pos - l) * q * q + (long long) vals[tree[a.leaves + l]] * q;
        for (int x = 0; x < q; x++) o[x] = src[x];
    } else {
        as_markov_row_of_power(a, vals[tree[a.leaves + l]], pos - l, scratch, o);
    }
    if (r >= 0) {
        int v = vals[tree[a.leaves + r]], dist = r - pos;
        if (a.powers) {
            const double* base = a.powers + (long long) dist * q * q + v;
            for (int x = 0; x < q; x++) o[x] *= base[(long long) x * q];
        } else {
            as_markov_column_of_power(a, v, dist, scratch);
            for (int x = 0; x < q; x++) o[x] *= scratch[2 * q + x];
        }
    }
    double s = 0;
    for (int x = 0; x < q; x++) s += o[x];
    if (s > 0) {
        for (int x = 0; x < q; x++) o[x] /= s;
    } else {
        for (int x = 0; x < q; x++) o[x] = 0;
    }
}

// ---------------------------------------------------------------------------------------------
// CurieWeiss: mu(X_i = 1 | k pinned, m ones) from two truncated log-sum-exps, the same cut-off and
// the same log-concavity decision (precomputed per u on the host from CurieWeiss.logConcave).
struct CurieWeissArgs {
    long long count;
    const int32_t* queries;
    const long long* summaries; // m = number of pinned ones
    const double* logFactorial; // n + 1
    const int32_t* logConcave;  // n entries, by u = n - k - 1
    double* out;
    double beta, h, cutoff;
    int32_t n, pad;
};
AS_ASSERT_SIZE(CurieWeissArgs, 80);

AS_HD double as_cw_term(const CurieWeissArgs& a, int u, int c0, int j) {
    int c = c0 + j;
    double s = 2.0 * c - a.n;
    return a.logFactorial[u] - a.logFactorial[j] - a.logFactorial[u - j] + a.beta / (2.0 * a.n) * s * s + a.h * s;
}

AS_HD double as_cw_log_sum(const CurieWeissArgs& a, int u, int c0) {
    if (!a.logConcave[u]) {
        double max = -INFINITY;
        for (int j = 0; j <= u; j++) max = fmax(max, as_cw_term(a, u, c0, j));
        double s = 0;
        for (int j = 0; j <= u; j++) s += exp(as_cw_term(a, u, c0, j) - max);
        return max + log(s);
    }
    int lo = 0, hi = u;
    while (lo < hi) {
        int mid = (int) (((unsigned) lo + (unsigned) hi) >> 1);
        if (as_cw_term(a, u, c0, mid + 1) > as_cw_term(a, u, c0, mid)) lo = mid + 1;
        else hi = mid;
    }
    double max = as_cw_term(a, u, c0, lo);
    double s = 1;
    for (int j = lo + 1; j <= u; j++) {
        double t = as_cw_term(a, u, c0, j) - max;
        if (t < -a.cutoff) break;
        s += exp(t);
    }
    for (int j = lo - 1; j >= 0; j--) {
        double t = as_cw_term(a, u, c0, j) - max;
        if (t < -a.cutoff) break;
        s += exp(t);
    }
    return max + log(s);
}

AS_HD void as_ar_curie_weiss_item(const CurieWeissArgs& a, long long i) {
    int k = a.queries[4 * i + 1];
    int m = (int) a.summaries[i];
    int u = a.n - k - 1;
    double l0 = as_cw_log_sum(a, u, m), l1 = as_cw_log_sum(a, u, m + 1);
    double p1 = 1.0 / (1.0 + exp(l0 - l1));
    a.out[2 * i] = 1 - p1;
    a.out[2 * i + 1] = p1;
}

// ---------------------------------------------------------------------------------------------
// ParityOracle: 1/2 below the per-order threshold T2, else a small elimination over F_2 on the free
// columns. The order record is sigma (n ints) followed by T2.
struct ParityArgs {
    long long count;
    const int32_t* queries;
    const long long* summaries; // pinned syndrome after k steps
    const int32_t* orders;      // sigma[0..n), T2
    const uint64_t* columns;    // n
    double* out;
    uint64_t target;
    int32_t n, pad;
};
AS_ASSERT_SIZE(ParityArgs, 64);

AS_HD void as_ar_parity_item(const ParityArgs& a, long long i) {
    const int32_t* qr = a.queries + 4 * i;
    int pos = qr[0], k = qr[1];
    const int32_t* sigma = a.orders + qr[3];
    int t2 = sigma[a.n];
    double* o = a.out + 2 * i;
    if (k <= t2) {
        o[0] = 0.5;
        o[1] = 0.5;
        return;
    }
    uint64_t pivots[64];
    bool rhs[64];
    for (int p = 0; p < 64; p++) {
        pivots[p] = 0;
        rhs[p] = false;
    }
    bool determined = true;
    for (int r = k; r < a.n; r++) {
        int col = sigma[r];
        uint64_t v = a.columns[col];
        bool b = col == pos;
        while (v != 0) {
            int p = as_hibit64(v);
            if (pivots[p] == 0) break;
            v ^= pivots[p];
            b ^= rhs[p];
        }
        if (v == 0) {
            if (b) determined = false;
        } else {
            int p = as_hibit64(v);
            pivots[p] = v;
            rhs[p] = b;
        }
    }
    uint64_t s = a.target ^ (uint64_t) a.summaries[i];
    uint64_t rem = s;
    while (rem != 0) {
        int p = as_hibit64(rem);
        if (pivots[p] == 0) break;
        rem ^= pivots[p];
    }
    if (rem != 0) {
        o[0] = 0;
        o[1] = 0;
        return;
    }
    if (!determined) {
        o[0] = 0.5;
        o[1] = 0.5;
        return;
    }
    uint64_t lambda = 0;
    for (int p = 0; p < 64; p++) {
        if (pivots[p] == 0) continue;
        bool bit = rhs[p] ^ ((as_popc64(pivots[p] & ~(1ull << p) & lambda) & 1) != 0);
        if (bit) lambda |= 1ull << p;
    }
    int value = as_popc64(lambda & s) & 1;
    o[0] = value == 0 ? 1 : 0;
    o[1] = value;
}

// ---------------------------------------------------------------------------------------------
// TableOracle: sums of the listed weights that agree with the pinned values. The order record is
// rank[0..n).
struct TableArgs {
    long long count;
    const int32_t* queries;
    const int32_t* values;
    const int32_t* orders;   // rank per position
    const int32_t* rows;     // m x n assignments
    const double* weights;   // m
    double* out;
    int32_t n, q, m, pad;
};
AS_ASSERT_SIZE(TableArgs, 72);

AS_HD void as_ar_table_item(const TableArgs& a, long long i) {
    const int32_t* qr = a.queries + 4 * i;
    int pos = qr[0], k = qr[1];
    const int32_t* vals = a.values + qr[2];
    const int32_t* rank = a.orders + qr[3];
    double* o = a.out + i * a.q;
    for (int v = 0; v < a.q; v++) o[v] = 0.0;
    double s = 0;
    for (int r = 0; r < a.m; r++) {
        const int32_t* row = a.rows + (long long) r * a.n;
        bool agrees = true;
        for (int x = 0; x < a.n && agrees; x++) {
            if (rank[x] < k) agrees = row[x] == vals[rank[x]];
        }
        if (agrees) {
            o[row[pos]] += a.weights[r];
            s += a.weights[r];
        }
    }
    if (s > 0) for (int v = 0; v < a.q; v++) o[v] /= s;
}

#define AS_AR_KERNELS(X)                     \
    X(as_scatter_ints, ScatterArgs)          \
    X(as_ar_expand, ExpandArgs)              \
    X(as_ar_product, ProductArgs)            \
    X(as_ar_markov, MarkovArgs)              \
    X(as_ar_curie_weiss, CurieWeissArgs)     \
    X(as_ar_parity, ParityArgs)              \
    X(as_ar_table, TableArgs)

#endif
