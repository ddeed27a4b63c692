package io.autospec.nn;

import java.util.List;

/**
 * A network lowered for one static launch shape: its slots, the steps that run in order, which
 * slots are the graph's inputs (in the order of {@code inputNames}) and which is each output.
 * {@code batch} is the number of rows of one evaluation (the chunk); a row's results never depend on
 * the other rows or on {@code batch} (see {@link Step}).
 */
public record Plan(int batch, List<Slot> slots, List<Step> steps,
                   List<String> inputNames, int[] inputSlots, List<String> outputNames, int[] outputSlots) {
    /** The largest rank a Binary, Where or Copy step may have. */
    public static final int MAX_RANK = 6;
}
