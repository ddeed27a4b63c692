package io.autospec.nn;

/**
 * Runs one {@link Plan} again and again (weights uploaded and buffers allocated once, when the
 * executor is opened; freed by {@link #close}). Every executor of a plan gives the same bits.
 */
public interface Executor extends AutoCloseable {

    /** Which evaluator this is, as reports print it: "host" (Java) or "cuda". */
    String name();

    Plan plan();

    /**
     * One evaluation of {@code plan().batch()} rows: {@code inputs[i]} is an {@code int[]} (INT slot) or
     * {@code float[]} (FLOAT slot) holding exactly the elements of input slot i (dense, batch first);
     * {@code outputs[i]} receives output slot i (its length must be that slot's element count; an INT
     * slot arrives as the float values {@code (float) v}).
     * @throws NnException naming the input on a wrong length or type, or what failed on the device
     */
    void run(Object[] inputs, float[][] outputs);

    @Override
    void close();
}
