// Determinantal processes (io.autospec.ar.models.det.DeterminantalOracle) on the device: the LU
// factor rows of the pinned block, grown one row per step and shared through a per-sample prefix
// trie kept by the host (io.autospec.cuda.DeterminantalFamily), and the O(k) queries on them. Every
// sum runs over the steps in increasing order exactly as the Java code does, with the Java code's
// operations (compiled with --fmad=false: no contraction), so results are bit-identical.
//
// Device state (per oracle):
//   kernel  K, n x n doubles, row-major (uploaded once)
//   rows    the row arena: a row lives at rows + 8 * slot:
//             [0] status: 0 a row, 1 impossible (its value has probability 0), 2 below an impossible
//                 node (never built by the Java code), 3 no row (planted variant: an excluded item)
//             [1] p, the computed P(item in | prefix) before snapping (what the host validates)
//             [2, 2 + len) u: u[0] the pivot, u[t] = U_{r, r+t} (len = n - r for row r)
//             [2 + len, 2 + 2 len) l (non-symmetric K only): l[t] = L_{r+t, r}, l[0] = 1
//   ints    the int arena: per sample its order's positions (n ints), per trie node at depth d its
//           path (d ints: the slots of rows 0..d-1 on the way from the root)
#ifndef AS_DET_KERNELS_CUH
#define AS_DET_KERNELS_CUH

#include "as_compat.cuh"

// Per new row (8 int32): slot, parent's slot (-1 at the root), parent's path offset, own path
// offset, r (the step: the node's depth is r + 1), v (the value pinned at step r), the order's
// offset, the row's index in the report.
#define AS_DET_NODE_INTS 8

struct DetRowArgs {
    long long count;         // rows x n items: item (j, t) builds entry t of row j and path entry t
    const int32_t* nodes;    // AS_DET_NODE_INTS per row of this launch (one level: parents are built)
    const double* kernel;    // K
    double* rows;            // row arena
    int32_t* ints;           // int arena (orders, paths)
    double* report;          // 2 per row: status, p
    double tolerance;
    int32_t n, symmetric, ignoreExclusions;
    int32_t phase;           // 0: paths, statuses, u (all of a symmetric row); 1: l (non-symmetric K), after 0
};
AS_ASSERT_SIZE(DetRowArgs, 72);

// Node.lower(step) of the row at rs (step s) for t = step - s >= 1.
AS_HD double as_det_lower(const double* rs, int n, int s, int t, int symmetric) {
    const double* u = rs + 2;
    return symmetric ? u[t] / u[0] : u[(n - s) + t];
}

// DeterminantalOracle.snap.
AS_HD double as_det_snap(double p, double tolerance) {
    if (p < tolerance) return 0;
    if (p > 1 - tolerance) return 1;
    return p;
}

// U_{r, r+t} before pivoting: K[c, sigma(r+t)] - sum_{s<r} L_{r,s} U_{s,r+t} (rows without u skipped,
// zero coefficients skipped, as in DeterminantalOracle.row).
AS_HD double as_det_u(const DetRowArgs& a, const int32_t* path, const int32_t* pos, int r, int t) {
    int n = a.n;
    int c = pos[r];
    double x = a.kernel[(long long) c * n + pos[r + t]];
    for (int s = 0; s < r; s++) {
        const double* rs = a.rows + 8LL * path[s];
        if (rs[0] == 3) continue;
        double coef = as_det_lower(rs, n, s, r - s, a.symmetric);
        if (coef == 0) continue;
        x -= coef * rs[2 + (r - s) + t];
    }
    return x;
}

AS_HD void as_det_row_item(const DetRowArgs& a, long long i) {
    int n = a.n;
    long long j = i / n;
    int t = (int) (i - j * n);
    const int32_t* nd = a.nodes + AS_DET_NODE_INTS * j;
    int slot = nd[0], parentSlot = nd[1], parentPath = nd[2], ownPath = nd[3], r = nd[4], v = nd[5];
    const int32_t* pos = a.ints + nd[6];
    int rep = nd[7];
    int len = n - r;
    double* row = a.rows + 8LL * slot;
    const int32_t* path = a.ints + parentPath;
    if (a.phase == 1) {
        if (t == 0 || t >= len || row[0] != 0) return; // only rows that exist have an l
        double pivot = row[2];
        int c = pos[r];
        double y = a.kernel[(long long) pos[r + t] * n + c]; // K^T[c, sigma(r+t)]
        for (int s = 0; s < r; s++) {
            const double* rs = a.rows + 8LL * path[s];
            if (rs[0] == 3) continue;
            double coef = rs[2 + (r - s)]; // U_{s, r}
            if (coef == 0) continue;
            y -= coef * rs[2 + (n - s) + (r - s) + t];
        }
        double inv = 1 / pivot;
        row[2 + len + t] = y * inv;
        return;
    }
    if (t <= r) a.ints[ownPath + t] = t < r ? a.ints[parentPath + t] : slot;
    if (t >= len) return;
    if (parentSlot >= 0) {
        double ps = a.rows[8LL * parentSlot];
        if (ps == 1 || ps == 2) { // the Java code never builds this node
            if (t == 0) {
                row[0] = 2;
                row[1] = 0;
                a.report[2 * rep] = 2;
                a.report[2 * rep + 1] = 0;
            }
            return;
        }
    }
    double x = as_det_u(a, path, pos, r, t);
    if (t == 0) {
        double p = x;
        double pe = as_det_snap(p, a.tolerance);
        double pv = v == 1 ? pe : 1 - pe;
        double status = pv == 0 ? 1 : (a.ignoreExclusions && v == 0 ? 3 : 0);
        row[0] = status;
        row[1] = p;
        row[2] = v == 1 ? p : p - 1;
        a.report[2 * rep] = status;
        a.report[2 * rep + 1] = p;
        if (!a.symmetric) row[2 + len] = 1;
        return;
    }
    row[2 + t] = x;
}

// Per query (4 int32): the leaf's path offset, k, position, rank of the position (>= k).
#define AS_DET_QUERY_INTS 4

struct DetQueryArgs {
    long long count;
    const int32_t* queries;
    const double* kernel;
    const double* rows;
    const int32_t* ints;
    double* out;              // 2 per query: 1 if the prefix is impossible (else 0), p before snapping
    int32_t n, symmetric;
};
AS_ASSERT_SIZE(DetQueryArgs, 56);

// The Schur complement's diagonal entry at the position: K_ii - sum_{s<k} L_{rank,s} U_{s,rank}.
AS_HD void as_det_query_item(const DetQueryArgs& a, long long i) {
    const int32_t* q = a.queries + AS_DET_QUERY_INTS * i;
    const int32_t* path = a.ints + q[0];
    int k = q[1], pos = q[2], rank = q[3], n = a.n;
    double* o = a.out + 2 * i;
    if (k > 0) {
        double st = a.rows[8LL * path[k - 1]];
        if (st == 1 || st == 2) {
            o[0] = 1;
            o[1] = 0;
            return;
        }
    }
    double p = a.kernel[(long long) pos * n + pos];
    for (int s = 0; s < k; s++) {
        const double* rs = a.rows + 8LL * path[s];
        if (rs[0] == 3) continue;
        int t = rank - s;
        p -= as_det_lower(rs, n, s, t, a.symmetric) * rs[2 + t];
    }
    o[0] = 0;
    o[1] = p;
}

#define AS_DET_KERNELS(X)              \
    X(as_det_row, DetRowArgs)          \
    X(as_det_query, DetQueryArgs)

#endif
