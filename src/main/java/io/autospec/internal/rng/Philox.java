package io.autospec.internal.rng;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the
 * counter-based generator cuRAND uses. Every random number in autospec is a pure function of a
 * 64-bit key and a 128-bit counter, so a draw depends on <em>what</em> it is for (its address),
 * never on when or where it is computed. {@code kernels/philox.cuh} is the same function for the GPU.
 *
 * <p>Keys are held as two ints (k0, k1); counters as four ints (c0..c3). All methods are static and
 * allocation-free except {@link #block}, which fills a caller-supplied array.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class Philox {
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;

    /** 2^-53, the spacing of the doubles produced by {@link #uniform}. */
    public static final double ULP53 = 0x1.0p-53;

    private Philox() {}

    /** Computes the four output words of Philox4x32-10 for (key, counter) into {@code out[0..3]}. */
    public static void block(int k0, int k1, int c0, int c1, int c2, int c3, int[] out) {
        for (int r = 0; r < ROUNDS; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = M0 * (c0 & 0xFFFFFFFFL);
            long p1 = M1 * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** {@return words 0 and 1 of the block as one long (word 0 in the high half)} */
    public static long word64(int k0, int k1, int c0, int c1, int c2, int c3) {
        int[] out = new int[4]; // scalar-replaced by the JIT once block() is inlined
        block(k0, k1, c0, c1, c2, c3, out);
        return ((long) out[0] << 32) | (out[1] & 0xFFFFFFFFL);
    }

    /** {@return a uniform double in [0, 1) with 53 random bits, from words 0 and 1 of the block} */
    public static double uniform(int k0, int k1, int c0, int c1, int c2, int c3) {
        return (word64(k0, k1, c0, c1, c2, c3) >>> 11) * ULP53;
    }

    /** Maps a 64-bit word to a uniform double in [0, 1). */
    public static double toUniform(long bits) {
        return (bits >>> 11) * ULP53;
    }

    /**
     * A uniform int in [0, bound) without bias (Lemire's multiply-and-reject), drawing 32-bit words
     * from successive blocks at counter (c0, c1, c2, attempt).
     */
    public static int boundedInt(int k0, int k1, int c0, int c1, int c2, int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long b = bound & 0xFFFFFFFFL;
        long threshold = ((1L << 32) - b) % b; // 2^32 mod bound
        for (int attempt = 0; ; attempt++) {
            long w = word64(k0, k1, c0, c1, c2, attempt);
            for (int half = 0; half < 2; half++) {
                long x = half == 0 ? (w >>> 32) : (w & 0xFFFFFFFFL);
                long m = x * b;
                if ((m & 0xFFFFFFFFL) >= threshold) return (int) (m >>> 32);
            }
        }
    }
}
