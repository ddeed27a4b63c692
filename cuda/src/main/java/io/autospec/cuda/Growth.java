package io.autospec.cuda;

/**
 * How reusable buffers grow: geometrically (so a run that keeps growing allocates O(log size) times),
 * in whole {@link #GRANULE}s, never below what is needed and never above a limit.
 */
final class Growth {
    /** Allocation granule in bytes. */
    static final long GRANULE = 1 << 16;

    private Growth() {}

    /**
     * The new capacity for a buffer of {@code current} bytes that must hold {@code needed} bytes: 0
     * growth when it already fits, else max(needed, 2 current) rounded up to a granule, capped at
     * {@code limit} (but never below {@code needed}).
     */
    static long capacity(long current, long needed, long limit) {
        if (needed < 0) throw new IllegalArgumentException("negative size " + needed);
        if (needed <= current) return current;
        long cap = roundUp(Math.max(needed, current > Long.MAX_VALUE / 4 ? needed : 2 * current));
        if (cap > limit) cap = Math.max(needed, roundDown(limit));
        return cap;
    }

    static long roundUp(long bytes) {
        return (bytes + GRANULE - 1) / GRANULE * GRANULE;
    }

    private static long roundDown(long bytes) {
        return bytes / GRANULE * GRANULE;
    }

    /** {@code offset} rounded up to a multiple of 256 bytes (the alignment of sub-arrays in a buffer). */
    static long align(long offset) {
        return (offset + 255) & ~255L;
    }
}
