// Device-resident rounds of a fixed-point run (io.autospec.cuda.ResidentRun): the `sequential`
// strategy (window 1) and `jacobi` (window W) with every sample's state on the device. One round is
// four kernels, recorded once as a graph and replayed:
//   as_fp_queries   each sample's window [cert, end) becomes query records in fixed slots
//                   (s * W + i is step cert + i of sample s; slots past the window ask a dummy query)
//   <model kernel>  the family's own kernel over the slots (ar_kernels.cuh, shared layout)
//   as_fp_draw      each row validated and normalised exactly as ConditionalBatch.validate, then
//                   drawn with the step's fixed random numbers (Coupling: inverse CDF or Gumbel-max);
//                   the iterate is updated in place and the first changed step found (atomicMin)
//   as_fp_advance   per sample: certify [cert, first changed step] (Candidate.certify), advance
// The host reads a 24-byte counter block per replay.
//
// State per sample s (n = steps, W = window): cert[s] (certified length), known[s] (steps with an
// iterate value), first[s] (this round's first changed step), values[s n + t] (the iterate in step
// order: the certified prefix, then the guesses), sigma[s n + t] (its order), noise[(s n + t) w + v]
// (step t's fixed random numbers, w = 1 for the inverse CDF, q for Gumbel-max).
#ifndef AS_FIXED_POINT_KERNELS_CUH
#define AS_FIXED_POINT_KERNELS_CUH

#include "as_compat.cuh"
#include "draw_kernels.cuh"
#include "validate_kernels.cuh"
#include "philox.cuh"

// io.autospec.spi.Purpose: DERIVE (counter word 0 of a key derivation) and TAG_STEP (Node.step).
#define AS_PURPOSE_DERIVE 0x44525631u
#define AS_TAG_STEP 5u

// Prefix summaries of the models that read one (PrefixSummary): none, the sum of the values
// (Curie-Weiss: the number of ones), or the XOR of table[position] over the values != 0 (parity).
#define AS_FP_SUMMARY_NONE 0
#define AS_FP_SUMMARY_SUM 1
#define AS_FP_SUMMARY_XOR 2

#define AS_FP_INVERSE_CDF 0
#define AS_FP_GUMBEL_MAX 1

// What the host reads after every replay (bit layout io.autospec.cuda.ResidentRun.Counters).
struct FpCounters {
    long long queries;  // queries of live windows so far (the rounds' sizes as the engine counts them)
    int32_t finished;   // samples whose every step is certified
    int32_t fault;      // smallest slot whose row is not a distribution (INT32_MAX: none)
    int32_t zeroMass;   // smallest slot whose certified step had a row without mass (INT32_MAX: none)
    int32_t handBack;   // auto: samples whose draft policy starts drafting this round (the engine takes over)
};
AS_ASSERT_SIZE(FpCounters, 24);

// The inverse CDF's u_t of every step of every sample: Node.step(t) derives the step's key from the
// sample's root key, and u_t is its uniform (DRAFT, t) (Coupling.INVERSE_CDF.noise).
struct FpNoiseArgs {
    long long count;       // samples x n
    const uint32_t* keys;  // 2 per sample: the root key (k0, k1)
    double* noise;         // 1 per step
    int32_t n, pad;
};
AS_ASSERT_SIZE(FpNoiseArgs, 32);

AS_HD void as_fp_noise_item(const FpNoiseArgs& a, long long i) {
    long long s = i / a.n;
    uint32_t t = (uint32_t) (i - s * a.n);
    uint64_t w = as_philox_word64(a.keys[2 * s], a.keys[2 * s + 1], AS_PURPOSE_DERIVE, AS_TAG_STEP, t, 0);
    a.noise[i] = as_philox_uniform((uint32_t) (w >> 32), (uint32_t) w, AS_PURPOSE_DRAFT, t, 0, 0);
}

// Slots of sample s: [s width, s width + W) its window; auto adds the draft request after them:
// [W, W + D) the marginals of steps c .. c + D - 1 at the certified prefix (from its second round on).
struct FpQueryArgs {
    long long count;        // samples x width slots
    int32_t* queries;       // 4 per slot: position, k, value base, order base
    const int32_t* sigma;
    const int32_t* cert;
    const int32_t* known;
    int32_t* first;
    const int32_t* rounds;  // auto: rounds each sample has finished
    int32_t n, window, width, orderInts;
    int32_t drafts, pad;    // auto: D, the draft request's steps (0: no draft request)
};
AS_ASSERT_SIZE(FpQueryArgs, 80);

// The draft request of auto this round: its steps (0 before the second round or at the end).
AS_HD int as_fp_draft_count(int c, int n, int drafts, int rounds) {
    if (drafts == 0 || rounds < 1 || c >= n) return 0;
    return drafts < n - c ? drafts : n - c;
}

AS_HD int as_fp_end(int cert, int n, int window) {
    return window >= n - cert ? n : cert + window;
}

AS_HD void as_fp_queries_item(const FpQueryArgs& a, long long j) {
    long long s = j / a.width;
    int i = (int) (j - s * a.width);
    int c = a.cert[s], end = as_fp_end(c, a.n, a.window), t = c + i;
    int32_t* rec = a.queries + 4 * j;
    rec[2] = (int32_t) (s * a.n);
    rec[3] = (int32_t) (s * a.orderInts);
    if (i >= a.window) { // auto's draft request: the marginals at the certified prefix
        int d = i - a.window;
        if (d < as_fp_draft_count(c, a.n, a.drafts, a.rounds[s])) {
            rec[0] = a.sigma[s * a.n + c + d];
            rec[1] = c;
        } else {
            rec[0] = a.sigma[s * a.n];
            rec[1] = 0;
        }
        return;
    }
    if (t < end) {
        // Step t is queried given the iterate as far as it goes (JacobiIterate: k = min(t, known)).
        int k = a.known[s];
        rec[0] = a.sigma[s * a.n + t];
        rec[1] = t < k ? t : k;
    } else {
        rec[0] = a.sigma[s * a.n]; // a dummy: the first step's marginal, never read
        rec[1] = 0;
    }
    if (i == 0) a.first[s] = end;
}

// The summary after k steps of each slot's query (k as the query records say), for models that read
// one: the same fold as the host's Branch.summary(k). Shared by the fixed-point and token rounds.
// A dummy slot (k = 0 below the final prefix c) gets the initial summary 0. Narrow windows: one
// thread per sample folds the final prefix on from where it stopped (sumAt, sum: the summary of steps
// [0, sumAt)), then the iterate's values in step order up to each live slot's k (nondecreasing
// along a sample's slots; k = c, the final prefix itself, may come after them: auto's draft request).
// Wide windows: a blocked scan instead of one thread's loop over the window: E[p] = the summary after steps [0, c + p) for p in [0, width], then each slot reads
// E[k - c]. The folds (sum, xor) are associative with identity 0, so chunks of CH positions are
// folded apart, their sums scanned per sample, and each chunk then writes its prefixes.
//   as_fp_sum_chunks    samples x chunks: each chunk's own fold
//   as_fp_sum_final     samples: the final prefix's fold, then the chunks' exclusive scan
//   as_fp_sum_prefix    samples x chunks: E over the chunk
//   as_fp_sum_slots     slots: E[k - c] (0 for a dummy, k = 0 below c)
struct FpScanArgs {
    long long count;
    long long* summaries;      // per slot
    long long* sum;            // per sample: the summary of steps [0, sumAt)
    const long long* table;
    const int32_t* values;
    const int32_t* sigma;
    const int32_t* cert;
    const int32_t* queries;
    int32_t* sumAt;
    long long* chunkSum;       // scan: samples x chunks
    long long* prefix;         // scan: samples x (width + 1), E
    int32_t n, width, rule, chunks;
    int32_t chunk, pad;        // CH, positions per chunk
};
AS_ASSERT_SIZE(FpScanArgs, 112);

AS_HD long long as_fp_fold_at(const FpScanArgs& a, long long acc, long long s, int t) {
    int v = a.values[s * a.n + t];
    if (a.rule == AS_FP_SUMMARY_SUM) return acc + v;
    return v != 0 ? acc ^ a.table[a.sigma[s * a.n + t]] : acc;
}

// The final prefix's summary: the fold from sumAt on to the certified length c, kept for the next round
// (final steps never change again).
AS_HD long long as_fp_fold_final(const FpScanArgs& a, long long s) {
    int c = a.cert[s];
    long long acc = a.sum[s];
    for (int at = a.sumAt[s]; at < c; at++) acc = as_fp_fold_at(a, acc, s, at);
    a.sum[s] = acc;
    a.sumAt[s] = c;
    return acc;
}

AS_HD long long as_fp_combine(int rule, long long x, long long y) {
    return rule == AS_FP_SUMMARY_SUM ? x + y : x ^ y;
}

// Positions [lo, hi) of chunk ch: within the window's width + 1 prefixes and the chain's n steps.
AS_HD void as_fp_chunk(const FpScanArgs& a, int c, int ch, int* lo, int* hi) {
    *lo = ch * a.chunk;
    int h = *lo + a.chunk, lim = a.width < a.n - c ? a.width : a.n - c; // E[p] folds steps up to c + p - 1
    *hi = h < lim ? h : lim;
}

AS_HD void as_fp_sum_chunks_item(const FpScanArgs& a, long long j) {
    long long s = j / a.chunks;
    int ch = (int) (j - s * a.chunks), c = a.cert[s], lo, hi;
    as_fp_chunk(a, c, ch, &lo, &hi);
    long long acc = 0;
    for (int p = lo; p < hi; p++) acc = as_fp_fold_at(a, acc, s, c + p);
    a.chunkSum[j] = acc;
}

AS_HD void as_fp_sum_final_item(const FpScanArgs& a, long long s) {
    long long acc = as_fp_fold_final(a, s);
    for (int ch = 0; ch < a.chunks; ch++) { // exclusive scan: chunkSum becomes each chunk's starting summary
        long long own = a.chunkSum[s * a.chunks + ch];
        a.chunkSum[s * a.chunks + ch] = acc;
        acc = as_fp_combine(a.rule, acc, own);
    }
}

AS_HD void as_fp_sum_prefix_item(const FpScanArgs& a, long long j) {
    long long s = j / a.chunks;
    int ch = (int) (j - s * a.chunks), c = a.cert[s], lo, hi;
    as_fp_chunk(a, c, ch, &lo, &hi);
    long long acc = a.chunkSum[j];
    long long* e = a.prefix + s * (a.width + 1);
    int p = lo;
    for (; p < hi; p++) {
        e[p] = acc;
        acc = as_fp_fold_at(a, acc, s, c + p);
    }
    if (p == hi && hi < lo + a.chunk && hi <= a.width) e[hi] = acc; // the last prefix, after the last step
}

AS_HD void as_fp_sum_slots_item(const FpScanArgs& a, long long j) {
    long long s = j / a.width;
    int c = a.cert[s], k = a.queries[4 * j + 1];
    a.summaries[j] = k < c ? 0 : a.prefix[s * (a.width + 1) + (k - c)];
}

AS_HD void as_fp_summaries_item(const FpScanArgs& a, long long s) {
    int c = a.cert[s];
    long long acc = as_fp_fold_final(a, s), atC = acc;
    int at = c;
    long long* out = a.summaries + s * a.width;
    for (int i = 0; i < a.width; i++) {
        int k = a.queries[4 * (s * a.width + i) + 1];
        if (k == c) {
            out[i] = atC;
            continue;
        }
        if (k < at) {
            out[i] = 0; // a dummy query: k = 0, the initial summary
            continue;
        }
        for (; at < k; at++) acc = as_fp_fold_at(a, acc, s, at);
        out[i] = acc;
    }
}

struct FpDrawArgs {
    long long count;        // slots
    double* rows;           // q per slot: the model's output, normalised in place
    const double* noise;
    int32_t* values;
    int32_t* drawn;         // per slot: the draw (-1: the row has no mass)
    const int32_t* cert;
    const int32_t* known;
    int32_t* first;
    FpCounters* counters;
    const int32_t* rounds;  // auto
    int32_t* drafts;        // auto: per draft slot, the draft max(C(p, r_t), 0)
    double tolerance;       // ConditionalBatch.NORMALISATION_TOLERANCE
    int32_t n, q, window, rule;
    int32_t noiseWidth, width, draftCount, pad;
};
AS_ASSERT_SIZE(FpDrawArgs, 128);


// Coupling.gumbelMax: argmax over the values with mass of p_v / e_v, ties to the smallest v.
AS_HD int as_gumbel_max(const double* row, int q, const double* e) {
    int best = -1;
    double score = -1;
    for (int v = 0; v < q; v++) {
        double p = row[v];
        if (p > 0) {
            double sc = p / e[v];
            if (sc > score) {
                score = sc;
                best = v;
            }
        }
    }
    return best;
}

// A resident round's row, checked as ConditionalBatch.validate does (the same operations in the same
// order) and normalised in place; a row that is no distribution records its slot as the round's
// fault (the smallest such slot: the host names it) and gives -1, else AS_ROW_OK or AS_ROW_ZERO.
AS_HD int as_resident_row(double* row, int q, double tolerance, FpCounters* counters, long long j) {
    double sum = 0;
    int status = as_check_row(row, q, tolerance, &sum);
    if (status < 0 || status == AS_ROW_UNNORMALISED) {
        as_atomic_min_i32(&counters->fault, (int32_t) j);
        return -1;
    }
    if (status == AS_ROW_OK) for (int v = 0; v < q; v++) row[v] /= sum;
    return status;
}

// The coupling's draw of a normalised row with step t's random numbers r (Coupling.draw).
AS_HD int as_fp_couple(const FpDrawArgs& a, const double* row, long long s, int t) {
    const double* r = a.noise + (s * a.n + t) * (long long) a.noiseWidth;
    return a.rule == AS_FP_GUMBEL_MAX ? as_gumbel_max(row, a.q, r) : as_categorical(row, a.q, r[0]);
}

AS_HD void as_fp_draw_item(const FpDrawArgs& a, long long j) {
    long long s = j / a.width;
    int i = (int) (j - s * a.width);
    int c = a.cert[s], end = as_fp_end(c, a.n, a.window), t = c + i;
    bool draft = i >= a.window;
    if (draft) {
        t = c + i - a.window;
        if (i - a.window >= as_fp_draft_count(c, a.n, a.draftCount, a.rounds[s])) return;
    } else if (t >= end) {
        return;
    }
    double* row = a.rows + j * a.q;
    int status = as_resident_row(row, a.q, a.tolerance, a.counters, j);
    if (status < 0) return;
    int x = status == AS_ROW_ZERO ? -1 : as_fp_couple(a, row, s, t);
    if (draft) { // FixedPointRun.draft: a guess, any value will do for a row without mass
        a.drafts[s * a.draftCount + (i - a.window)] = x < 0 ? 0 : x;
        return;
    }
    int32_t* value = a.values + s * a.n + t;
    // A step without a guess counts as changed (Candidate.certify).
    bool changed = t >= a.known[s] || x != *value;
    a.drawn[j] = x;
    // Beyond the first changed step the context holds stale guesses and may be impossible: any value will do.
    *value = x < 0 ? 0 : x;
    if (changed) as_atomic_min_i32(&a.first[s], t);
}

struct FpAdvanceArgs {
    long long count;        // samples
    const int32_t* drawn;
    int32_t* cert;
    int32_t* known;
    const int32_t* first;
    FpCounters* counters;
    int32_t* from;          // per sample: the certified length before this round
    int32_t n, window;
    int32_t overCertify;    // 0; 1 only in the tests' planted wrong variant (one step past the first change)
    int32_t width;
};
AS_ASSERT_SIZE(FpAdvanceArgs, 72);

AS_HD void as_fp_advance_item(const FpAdvanceArgs& a, long long s) {
    if (a.counters->fault != INT32_MAX) return; // the run stops: the host names the query
    int c = a.cert[s];
    a.from[s] = c;
    if (c == a.n) return;
    int end = as_fp_end(c, a.n, a.window), f = a.first[s];
    // Steps [c, f] were drawn given true prefixes; a row without mass there is the oracle's error.
    if (f < end && a.drawn[s * a.width + (f - c)] < 0) {
        as_atomic_min_i32(&a.counters->zeroMass, (int32_t) (s * a.width + (f - c)));
        return;
    }
    int done = f + 1 + a.overCertify < end ? f + 1 + a.overCertify : end;
    a.cert[s] = done;
    if (a.known[s] < end) a.known[s] = end;
    as_atomic_add_i64(&a.counters->queries, end - c);
    if (done == a.n) as_atomic_add_i32(&a.counters->finished, 1);
}

// auto's draft policy (DraftPolicy.after) while it does not draft, after each round: how far the
// draft from the certified prefix agreed with Jacobi's new values, stalls and draft wins in a row.
// A sample whose policy starts drafting is counted in handBack: the host then takes every sample
// over from this state (FixedPointRun resumed), since drafting rounds are the engine's.
struct AutoPolicyArgs {
    long long count;        // samples
    const int32_t* values;
    const int32_t* drafts;
    const int32_t* cert;    // after the round
    const int32_t* from;    // before it
    int32_t* rounds;
    int32_t* stalls;
    int32_t* wins;
    int32_t* mode;          // 0: Jacobi's part; 1: drafting after stalls; 2: drafting for good (draft wins)
    FpCounters* counters;
    int32_t n, window, drafts_, stallFraction;
    int32_t stallSweeps, hedge;
};
AS_ASSERT_SIZE(AutoPolicyArgs, 104);

AS_HD void as_auto_policy_item(const AutoPolicyArgs& a, long long s) {
    if (a.counters->fault != INT32_MAX || a.counters->zeroMass != INT32_MAX) return;
    int c = a.from[s];
    if (c >= a.n) return;
    int done = a.cert[s], end = as_fp_end(c, a.n, a.window);
    int count = as_fp_draft_count(c, a.n, a.drafts_, a.rounds[s]);
    int round = a.rounds[s] + 1;
    a.rounds[s] = round;
    as_atomic_add_i64(&a.counters->queries, count); // the draft request's queries (the sweep's: as_fp_advance)
    int agree = -1;
    if (count > 0) {
        agree = 0;
        int upTo = count < done - c ? count : done - c;
        if (end - c < upTo) upTo = end - c;
        while (agree < upTo && a.drafts[s * a.drafts_ + agree] == a.values[s * a.n + c + agree]) agree++;
    }
    int advance = done - c;
    bool stalled = round >= 2 && advance <= 1 && (long long) advance * a.stallFraction < a.n - c;
    bool win = round >= 2 && done < a.n && agree >= 0 && advance < count && agree >= advance;
    a.stalls[s] = stalled ? a.stalls[s] + 1 : 0;
    a.wins[s] = win ? a.wins[s] + 1 : 0;
    int m = a.stalls[s] >= a.stallSweeps ? 1 : a.hedge && a.wins[s] >= a.stallSweeps ? 2 : 0;
    if (m != 0) {
        a.mode[s] = m;
        as_atomic_add_i32(&a.counters->handBack, 1);
    }
}

#define AS_FIXED_POINT_KERNELS(X)      \
    X(as_fp_noise, FpNoiseArgs)        \
    X(as_fp_queries, FpQueryArgs)      \
    X(as_fp_summaries, FpScanArgs)     \
    X(as_fp_sum_chunks, FpScanArgs)    \
    X(as_fp_sum_final, FpScanArgs)     \
    X(as_fp_sum_prefix, FpScanArgs)    \
    X(as_fp_sum_slots, FpScanArgs)     \
    X(as_fp_draw, FpDrawArgs)          \
    X(as_fp_advance, FpAdvanceArgs)    \
    X(as_auto_policy, AutoPolicyArgs)

#endif
