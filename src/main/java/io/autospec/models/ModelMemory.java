package io.autospec.models;

import io.autospec.internal.util.Bytes;

/**
 * What a model takes in memory, for the check every front end makes before a run ({@link
 * ModelProvider#memory}): asked before the model is built (from the spec alone) and again once it is
 * built, when a file or a network fixes its sizes.
 *
 * @param buildBytes  bytes its construction holds at once (dense N x N kernels, factors), 0 when small or unknown
 * @param building    what is built, for the refusal ("aztec:order=64 has N = 16384 edges: building its
 *                    N x N kernel and factor"), or "" when {@code buildBytes} is 0
 * @param keptBytes   bytes the built model keeps while it runs (tables, a network's buffers), 0 when small or unknown
 * @param perQuery    bytes it keeps per query of a launch (a network's rows and their bookkeeping)
 * @param kept        the name of {@code keptBytes} in the run's estimate, e.g. "model tables"
 * @param lever       what to change when it does not fit, e.g. "use a smaller --n or q"
 */
public record ModelMemory(long buildBytes, String building, long keptBytes, long perQuery, String kept, String lever) {

    /** Nothing worth counting (or not known before the model is built). */
    public static final ModelMemory NONE = new ModelMemory(0, "", 0, 0, "", "");

    /** {@return {@code bytes} of tables kept while the model runs, {@code lever} saying what shrinks them} */
    public static ModelMemory tables(long bytes, String lever) {
        return new ModelMemory(0, "", bytes, 0, "model tables", lever);
    }

    /** {@return a construction that holds {@code bytes} at once; {@code building} names what, {@code lever} what to change} */
    public static ModelMemory construction(long bytes, String building, String lever) {
        return new ModelMemory(bytes, building, 0, 0, "", lever);
    }

    /** {@return the bytes kept while running a launch of {@code queries} queries (saturating)} */
    public long keptBytes(long queries) {
        long launch = Math.multiplyHigh(queries, perQuery) != 0 || queries * perQuery < 0 ? Long.MAX_VALUE : queries * perQuery;
        return launch > Long.MAX_VALUE - keptBytes ? Long.MAX_VALUE : launch + keptBytes;
    }

    /**
     * Why building the model would not fit in {@code heapBytes} (one line naming what is built, what it
     * needs and what to change), or null when it fits or its size is not known before it is built.
     */
    public String buildRefusal(long heapBytes) {
        if (buildBytes <= heapBytes) return null;
        return building + " needs about " + Bytes.format(buildBytes) + ", more than the Java heap's " + Bytes.format(heapBytes)
                + "; " + lever + ", or give Java more memory (java -Xmx"
                + Math.max(1, (long) Math.ceil(buildBytes * 1.25 / (1L << 30))) + "g -jar ...)";
    }
}
