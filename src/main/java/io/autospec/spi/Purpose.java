package io.autospec.spi;

/**
 * The first counter word of every draw: what the number is for. Keeping purposes distinct keeps the
 * streams of one key independent. The values are part of the reproducibility contract (the CUDA
 * kernels use the same numbers), so never renumber them.
 *
 * <p><b>SPI</b>: a strategy of your own draws with these purposes (or numbers of its own from 256 to 65535, which
 * the library never uses).
 */
public final class Purpose {
    private Purpose() {}

    /** Deriving a child key (tag in the second word). */
    public static final int DERIVE = 0x44525631;
    /** Drawing the random order sigma of a sample (Fisher-Yates step index). */
    public static final int ORDER = 1;
    /** Drawing a speculative draft (step index). */
    public static final int DRAFT = 2;
    /** The accept/reject coin of a speculation. */
    public static final int ACCEPT = 3;
    /** The accept/reject coin of a fallback trial. */
    public static final int TRIAL_ACCEPT = 4;
    /** Token-level speculation: per-token acceptance coin. */
    public static final int TOKEN_ACCEPT = 5;
    /** Token-level speculation: residual / bonus draws. */
    public static final int TOKEN_RESIDUAL = 6;
    /** Diffusion: Gaussian noise of one step (step index, coordinate block). */
    public static final int NOISE = 7;
    /** Gumbel-max coupling: the uniform of one value of one step (step index, value). */
    public static final int GUMBEL = 8;

    // Tags for Key.derive.
    /** Key of sample {@code a} (low word) / {@code b} (high word) of a run. */
    public static final int TAG_SAMPLE = 1;
    /** Left half of a span. */
    public static final int TAG_LEFT = 2;
    /** Right half of a span. */
    public static final int TAG_RIGHT = 3;
    /** Fallback trial {@code a}. */
    public static final int TAG_TRIAL = 4;
    /** Step {@code a} of a step-by-step strategy (sequential, token windows, Picard noise). */
    public static final int TAG_STEP = 5;
    /** The rest of a sample, handed from one strategy to another (AutoSampler). */
    public static final int TAG_REST = 7;
    /** Model construction from a user seed (random parity constraints, random mixtures...). */
    public static final int TAG_MODEL = 6;
}
