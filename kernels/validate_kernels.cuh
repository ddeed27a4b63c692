// ConditionalBatch's validation of an AR launch's rows, on the device, right after the model kernel:
// the same check with the same arithmetic in the same order (sum in value order, then each entry
// divided by the sum), so the results are bit-identical to the host's. It writes only what the host
// reads: a normalised row for a query that wants its row, one probability for a scored query
// (ArProcess.logChain's), and a status per query.
#ifndef AS_VALIDATE_KERNELS_CUH
#define AS_VALIDATE_KERNELS_CUH

#include "as_compat.cuh"

// Status of a query (int32): its row is fine, all zero, unnormalised (the sum is in its first output
// double), or -1 - v: entry v is NaN, negative or infinite (the entry is in its first output double).
#define AS_ROW_OK 0
#define AS_ROW_ZERO 1
#define AS_ROW_UNNORMALISED 2

// ConditionalBatch.checkedSum: the row's sum in value order (into *sum), and its status: AS_ROW_OK,
// AS_ROW_ZERO (an impossible context, allowed), AS_ROW_UNNORMALISED (|sum - 1| beyond the tolerance),
// or -1 - v for the first entry v that is NaN, negative or infinite. Every device check of rows uses it.
AS_HD int as_check_row(const double* row, int q, double tolerance, double* sum) {
    double s = 0;
    for (int v = 0; v < q; v++) {
        double p = row[v];
        if (!(p >= 0) || p == INFINITY) return -1 - v;
        s += p;
    }
    *sum = s;
    if (s == 0) return AS_ROW_ZERO;
    return fabs(s - 1.0) > tolerance ? AS_ROW_UNNORMALISED : AS_ROW_OK;
}

struct ValidateArgs {
    long long count;
    const double* rows;     // the model kernel's output, q per query
    const int32_t* meta;    // 2 per query: scored value (-1: the whole row), output offset (doubles)
    double* outputs;        // the compact outputs: q doubles for a row query, 1 for a scored one
    int32_t* status;        // 1 per query
    double tolerance;       // ConditionalBatch.NORMALISATION_TOLERANCE
    int32_t q, pad;
};
AS_ASSERT_SIZE(ValidateArgs, 56);

AS_HD void as_validate_rows_item(const ValidateArgs& a, long long j) {
    const double* row = a.rows + j * a.q;
    int x = a.meta[2 * j];
    double* o = a.outputs + a.meta[2 * j + 1];
    double sum = 0;
    int status = as_check_row(row, a.q, a.tolerance, &sum);
    if (status < 0) {
        o[0] = row[-1 - status];
        a.status[j] = status;
        return;
    }
    if (status == AS_ROW_ZERO) { // the pinned context is impossible: the row stays as it is
        if (x >= 0) o[0] = row[x];
        else for (int v = 0; v < a.q; v++) o[v] = row[v];
        a.status[j] = AS_ROW_ZERO;
        return;
    }
    if (status == AS_ROW_UNNORMALISED) {
        o[0] = sum;
        a.status[j] = AS_ROW_UNNORMALISED;
        return;
    }
    if (x >= 0) o[0] = row[x] / sum;
    else for (int v = 0; v < a.q; v++) o[v] = row[v] / sum;
    a.status[j] = AS_ROW_OK;
}

#define AS_VALIDATE_KERNELS(X) \
    X(as_validate_rows, ValidateArgs)

#endif
