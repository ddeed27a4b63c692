// Device-resident rounds of token windows (io.autospec.cuda.ResidentTokens; TokenSampler on the
// host): per sample, a window of w drafts from the marginals at the prefix (phase 0), then the chain
// of conditionals of the drafted branch (phase 1, unless the window is the last position alone),
// acceptance left to right with min(1, p/q), a residual token from normalise(max(0, p - q)) or a
// bonus token. Every sample makes one request a round, as on the host, so the rounds and queries are
// the engine's. Every random number is Philox from the window's stream Node.step(a), derived on the
// device from the sample's root key: the same bits as the host's.
//
// State per sample s: a[s] (prefix length), next[s] (the next window's size), phase[s], values
// (the prefix, then the drafts), the phase-0 rows kept for phase 1 (draftRows), fault records.
#ifndef AS_TOKEN_KERNELS_CUH
#define AS_TOKEN_KERNELS_CUH

#include "fixed_point_kernels.cuh"

// io.autospec.spi.Purpose
#define AS_PURPOSE_TOKEN_ACCEPT 5u
#define AS_PURPOSE_TOKEN_RESIDUAL 6u

#define AS_TOK_ZERO_MASS 1
#define AS_TOK_NO_RESIDUAL 2

// The uniform (purpose, index) of the stream of step a of sample s (Node.step(a).uniform).
AS_HD double as_tok_uniform(const uint32_t* keys, long long s, int a, uint32_t purpose, int index) {
    uint64_t w = as_philox_word64(keys[2 * s], keys[2 * s + 1], AS_PURPOSE_DERIVE, AS_TAG_STEP, (uint32_t) a, 0);
    return as_philox_uniform((uint32_t) (w >> 32), (uint32_t) w, purpose, (uint32_t) index, 0, 0);
}

AS_HD int as_tok_window(int a, int next, int n) {
    return next < n - a ? next : n - a;
}

// Queries of sample s's request this round: phase 0, w marginals at k = a; phase 1, the chain of
// the drafted branch at steps a+1 .. a+checks (the last one the bonus position when a + w < n).
AS_HD int as_tok_live(int a, int w, int phase, int n) {
    if (phase == 0) return w;
    return w - 1 + (a + w < n ? 1 : 0);
}

// Slot j of a round: sample s, index i in its slots, and whether sample s's request uses it this
// round (then: its prefix length a, window w and phase).
struct TokSlot {
    long long s;
    int i, a, w, phase;
    bool live;
};

AS_HD TokSlot as_tok_slot(const int32_t* a, const int32_t* next, const int32_t* phase, int width, int n, long long j) {
    TokSlot t;
    t.s = j / width;
    t.i = (int) (j - t.s * width);
    t.a = a[t.s];
    t.w = 0;
    t.phase = 0;
    t.live = false;
    if (t.a >= n) return t;
    t.w = as_tok_window(t.a, next[t.s], n);
    t.phase = phase[t.s];
    t.live = t.i < as_tok_live(t.a, t.w, t.phase, n);
    return t;
}

struct TokQueryArgs {
    long long count;          // samples x width slots
    int32_t* queries;         // 4 per slot
    const int32_t* sigma;
    const int32_t* a;
    const int32_t* next;
    const int32_t* phase;
    int32_t n, width, orderInts, pad;
};
AS_ASSERT_SIZE(TokQueryArgs, 64);

AS_HD void as_tok_queries_item(const TokQueryArgs& g, long long j) {
    TokSlot t = as_tok_slot(g.a, g.next, g.phase, g.width, g.n, j);
    int32_t* rec = g.queries + 4 * j;
    rec[2] = (int32_t) (t.s * g.n);
    rec[3] = (int32_t) (t.s * g.orderInts);
    rec[0] = g.sigma[t.s * g.n]; // a dummy unless live: the first step's marginal, never read
    rec[1] = 0;
    if (!t.live) return;
    int step = t.phase == 0 ? t.a + t.i : t.a + 1 + t.i;
    rec[0] = g.sigma[t.s * g.n + step];
    rec[1] = t.phase == 0 ? t.a : step;
}

struct TokDrawArgs {
    long long count;          // slots
    double* rows;             // q per slot, normalised in place
    double* draftRows;        // q per slot: phase 0's rows, kept for phase 1
    int32_t* values;
    const uint32_t* keys;     // 2 per sample: the root key
    const int32_t* a;
    const int32_t* next;
    const int32_t* phase;
    int32_t* faultStep;       // per sample: the first step whose draw had no mass (INT32_MAX: none)
    FpCounters* counters;
    double tolerance;
    int32_t n, q, width, pad;
};
AS_ASSERT_SIZE(TokDrawArgs, 104);

AS_HD void as_tok_draw_item(const TokDrawArgs& g, long long j) {
    TokSlot t = as_tok_slot(g.a, g.next, g.phase, g.width, g.n, j);
    if (!t.live) return;
    long long s = t.s;
    int i = t.i, a = t.a;
    double* row = g.rows + j * g.q;
    if (as_resident_row(row, g.q, g.tolerance, g.counters, j) < 0 || t.phase != 0) return;
    // Draft token i: an inverse-CDF draw from its marginal at the prefix (whose context is true).
    int x = as_categorical(row, g.q, as_tok_uniform(g.keys, s, a, AS_PURPOSE_DRAFT, a + i));
    if (x < 0) {
        as_atomic_min_i32(&g.faultStep[s], a + i);
        as_atomic_min_i32(&g.counters->zeroMass, (int32_t) s);
        return;
    }
    g.values[s * g.n + a + i] = x;
    double* keep = g.draftRows + j * g.q;
    for (int v = 0; v < g.q; v++) keep[v] = row[v];
}

struct TokAdvanceArgs {
    long long count;          // samples
    const double* rows;       // phase 1: the chain's rows (slot i: step a + 1 + i)
    const double* draftRows;  // phase 0's rows (slot i: step a + i)
    int32_t* values;
    const uint32_t* keys;
    int32_t* a;
    int32_t* next;
    int32_t* phase;
    int32_t* faultStep;
    int32_t* faultKind;
    FpCounters* counters;
    int32_t n, q, width, minWindow;
    int32_t window;           // the fixed window, 0 for adaptive
    int32_t noResidual;       // 0; 1 only in the tests' planted wrong variant (a rejected token redrawn from p)
};
AS_ASSERT_SIZE(TokAdvanceArgs, 112);

// ArProcess.categorical over r_v = max(0, target_v - draft_v), computed on the fly in both passes.
AS_HD int as_tok_residual(const double* target, const double* draft, int q, double u, double* mass) {
    double total = 0;
    for (int v = 0; v < q; v++) {
        double d = target[v] - draft[v];
        total += d > 0 ? d : 0.0;
    }
    *mass = total;
    if (!(total > 0)) return -1;
    double t = u * total, cum = 0;
    int last = -1;
    for (int v = 0; v < q; v++) {
        double d = target[v] - draft[v];
        double p = d > 0 ? d : 0.0;
        if (p > 0) {
            cum += p;
            last = v;
            if (cum > t) return v;
        }
    }
    return last;
}

AS_HD void as_tok_fault(const TokAdvanceArgs& g, long long s, int step, int kind) {
    g.faultStep[s] = step;
    g.faultKind[s] = kind;
    as_atomic_min_i32(&g.counters->zeroMass, (int32_t) s);
}

AS_HD void as_tok_advance_item(const TokAdvanceArgs& g, long long s) {
    if (g.counters->fault != INT32_MAX) return; // the run stops: the host names the query
    int a = g.a[s];
    if (a >= g.n || g.faultStep[s] != INT32_MAX) return;
    int w = as_tok_window(a, g.next[s], g.n);
    bool bonus = a + w < g.n;
    int checks = w - 1 + (bonus ? 1 : 0);
    int32_t* x = g.values + s * g.n;
    if (g.phase[s] == 0) {
        as_atomic_add_i64(&g.counters->queries, w);
        if (checks == 0) { // one last position: its marginal is exact
            g.a[s] = a + 1;
            if (a + 1 == g.n) as_atomic_add_i32(&g.counters->finished, 1);
        } else {
            g.phase[s] = 1;
        }
        return;
    }
    as_atomic_add_i64(&g.counters->queries, checks);
    const double* target = g.rows + s * g.width * (long long) g.q;   // slot i: step a + 1 + i
    const double* drafts = g.draftRows + s * g.width * (long long) g.q; // slot i: step a + i
    int grown = -1;
    // Token 0's draft law is its exact conditional: always accepted.
    for (int j = 1; j < w; j++) {
        int v = x[a + j];
        const double* p = target + (long long) (j - 1) * g.q;
        const double* d = drafts + (long long) j * g.q;
        if (as_tok_uniform(g.keys, s, a, AS_PURPOSE_TOKEN_ACCEPT, a + j) < p[v] / d[v]) continue;
        double mass = 1, u = as_tok_uniform(g.keys, s, a, AS_PURPOSE_TOKEN_RESIDUAL, a + j);
        int r = g.noResidual ? as_categorical(p, g.q, u) : as_tok_residual(p, d, g.q, u, &mass);
        if (r < 0 || !(mass > 0)) {
            as_tok_fault(g, s, a + j, AS_TOK_NO_RESIDUAL);
            return;
        }
        x[a + j] = r;
        grown = j + 1;
        break;
    }
    if (grown < 0) {
        if (bonus) {
            int v = as_categorical(target + (long long) (w - 1) * g.q, g.q,
                                   as_tok_uniform(g.keys, s, a, AS_PURPOSE_TOKEN_RESIDUAL, a + w));
            if (v < 0) {
                as_tok_fault(g, s, a + w, AS_TOK_ZERO_MASS);
                return;
            }
            x[a + w] = v;
            grown = w + 1;
        } else {
            grown = w;
        }
    }
    if (g.window == 0) { // adaptive: from this sample's finished windows only
        if (grown >= w) {
            long long twice = 2LL * w, cap = g.n > g.minWindow ? g.n : g.minWindow;
            g.next[s] = (int32_t) (twice < cap ? twice : cap);
        } else {
            int accepted = grown - 1, grow = (3 * accepted + 1) / 2;
            g.next[s] = grow > g.minWindow ? grow : g.minWindow;
        }
    }
    g.a[s] = a + grown;
    g.phase[s] = 0;
    if (a + grown == g.n) as_atomic_add_i32(&g.counters->finished, 1);
}

#define AS_TOKEN_KERNELS(X)            \
    X(as_tok_queries, TokQueryArgs)    \
    X(as_tok_draw, TokDrawArgs)        \
    X(as_tok_advance, TokAdvanceArgs)

#endif
