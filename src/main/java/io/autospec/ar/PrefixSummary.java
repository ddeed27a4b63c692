package io.autospec.ar;

/**
 * An optional running summary of a branch's pinned values in step order, kept with the branch so an
 * oracle can read "the summary of the first k pinned values" in O(1) (Curie-Weiss: the number of
 * ones; parity: the syndrome). summary(0) = {@link #initial()}, summary(r+1) = append(summary(r),
 * sigma(r), value at sigma(r)).
 */
@FunctionalInterface
public interface PrefixSummary {
    /** {@return the summary of no pinned values (default 0)} */
    default long initial() {
        return 0;
    }

    /**
     * Extends a summary by one pinned value.
     *
     * @param summary  the summary of the values pinned so far
     * @param position the position pinned next
     * @param value    its value
     * @return the summary after also pinning {@code value} at {@code position}
     */
    long append(long summary, int position, int value);
}
