package io.autospec.cuda;

/**
 * The 1-D launch shape of an item kernel: {@link #BLOCK} threads per block and enough blocks to give
 * every item a thread, capped at {@link #MAX_GRID} blocks (kernels loop grid-stride, so a capped grid
 * still covers every item).
 */
record LaunchConfig(int grid, int block) {
    /** Threads per block: a multiple of the warp size that keeps double-heavy kernels' registers in budget. */
    static final int BLOCK = 128;
    /** Most blocks per launch; beyond it threads take several items each. */
    static final int MAX_GRID = 1 << 20;

    static LaunchConfig forItems(long items) {
        if (items < 1) throw new IllegalArgumentException("a launch needs at least one item, got " + items);
        long blocks = (items + BLOCK - 1) / BLOCK;
        return new LaunchConfig((int) Math.min(blocks, MAX_GRID), BLOCK);
    }

    /** Items each thread handles at most. */
    long itemsPerThread(long items) {
        long threads = (long) grid * block;
        return (items + threads - 1) / threads;
    }
}
