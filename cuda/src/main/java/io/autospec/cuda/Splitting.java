package io.autospec.cuda;

/** How a launch is cut to fit device memory (pure arithmetic, tested without a GPU). */
final class Splitting {
    private Splitting() {}

    /**
     * The first chunk size for {@code count} queries of about {@code bytesPerQuery} device bytes each
     * when {@code available} bytes may be used: everything if it fits, else as many as fit (at least 1).
     */
    static int initialChunk(int count, long available, long bytesPerQuery) {
        if (count < 1) throw new IllegalArgumentException("empty launch");
        long per = Math.max(1, bytesPerQuery);
        long fit = Math.max(1, available / per);
        return (int) Math.min(count, fit);
    }

    /** The chunk size after a chunk of {@code size} queries ran out of memory. */
    static int halve(int size) {
        return Math.max(1, size / 2);
    }
}
