package io.autospec.spi;

import io.autospec.internal.rng.Philox;

/**
 * A 64-bit Philox key naming one random stream. Streams form a tree: {@link #derive} gives the key of
 * a child stream (a sample, a node of the recursion, a trial) as one Philox block of the parent,
 * in the manner of counter-based "split". Draws are addressed by (key, purpose, index), so the same
 * seed produces the same samples regardless of scheduling, batching or backend.
 *
 * <p><b>SPI</b>: a node's stream key ({@link Node#key()}); draws are addressed by a {@link Purpose}.
 */
public record Key(int k0, int k1) {

    /** {@return the root key of a run: the seed's two halves} */
    public static Key ofSeed(long seed) {
        return new Key((int) seed, (int) (seed >>> 32));
    }

    /** {@return the key of child stream {@code (tag, a, b)}; distinct addresses give independent streams} */
    public Key derive(int tag, int a, int b) {
        long w = Philox.word64(k0, k1, Purpose.DERIVE, tag, a, b);
        return new Key((int) (w >>> 32), (int) w);
    }

    /** {@return a uniform double in [0,1) for draw {@code (purpose, index, sub)} of this stream} */
    public double uniform(int purpose, int index, int sub) {
        return Philox.uniform(k0, k1, purpose, index, sub, 0);
    }

    /** {@return 64 random bits for draw {@code (purpose, index, sub)} of this stream} */
    public long bits(int purpose, int index, int sub) {
        return Philox.word64(k0, k1, purpose, index, sub, 0);
    }

    /** One full Philox block for draw {@code (purpose, index, sub)}; {@code out} gets 4 words. */
    public void block(int purpose, int index, int sub, int[] out) {
        Philox.block(k0, k1, purpose, index, sub, 0, out);
    }

    /** {@return a uniform double int in [0, bound) for draw {@code (purpose, index)}, exactly unbiased} */
    public int boundedInt(int purpose, int index, int bound) {
        return Philox.boundedInt(k0, k1, purpose, index, 1, bound);
    }

    @Override
    public String toString() {
        return String.format("Key[%08x%08x]", k1, k0);
    }
}
