package io.autospec.onnx;

import java.util.List;

/**
 * What runs a network on a batch of rows: ONNX Runtime ({@link OrtEvaluator}) or one of autospec's
 * own plan executors ({@link PlanEvaluator}: "host" in Java, "cuda" on the device). {@link Network}
 * owns one and feeds it rows; the model classes never see which it is.
 *
 * <p>A row is one sample of every input of the {@link Signature} (tokens [n], or x [d] and sigma)
 * and gives one row of the output ([n, q] logits, or [d]). An evaluator with a fixed {@link #batch()}
 * is called with exactly that many rows (the caller pads); one with batch 0 takes any count.
 */
public interface RowEvaluator extends AutoCloseable {

    /** As run reports print it: "onnxruntime-cpu", "host" or "cuda". */
    String name();

    /** Rows of every {@link #evaluate} call, or 0 when any count is accepted. */
    int batch();

    /**
     * Evaluates {@code rows} rows. {@code inputs[i]} holds input i of the signature for those rows,
     * dense and batch first: an {@code int[]} for tokens (int64 or int32 in the graph), a
     * {@code float[]} otherwise, each at least rows x (elements per row) long. Writes rows x (output
     * elements per row) values into {@code out[0 ...]}.
     *
     * @throws Failure when the evaluation fails (out of memory: {@link Failure#outOfMemory()})
     */
    void evaluate(int rows, Object[] inputs, double[] out);

    /**
     * Whether each call evaluates just the rows it is given, every row on its own (the host plan), so
     * that its caller need not pad to a fixed chunk for batch invariance; default false.
     */
    default boolean rowByRow() {
        return false;
    }

    /** {@return bytes this evaluator allocates for one call beyond the caller's buffers (activations); 0 when unknown} */
    long workingBytes();

    @Override
    void close();

    /** One input or output: its name and its shape without the batch dimension. */
    record Tensor(String name, boolean tokens, long[] rowShape) {
        /** {@return elements of one row} */
        public long rowElements() {
            long e = 1;
            for (long s : rowShape) e = Math.multiplyExact(e, s);
            return e;
        }

        /** {@return the shape of {@code rows} rows: [rows, rowShape...]} */
        public long[] shape(long rows) {
            long[] s = new long[rowShape.length + 1];
            s[0] = rows;
            System.arraycopy(rowShape, 0, s, 1, rowShape.length);
            return s;
        }
    }

    /** What a model class feeds and reads: its inputs in order and the one output. */
    record Signature(List<Tensor> inputs, Tensor output) {}

    /** An evaluation that failed; the message is one line, without native stack or source paths. */
    final class Failure extends RuntimeException {
        private final boolean outOfMemory;

        public Failure(String message, boolean outOfMemory) {
            super(message);
            this.outOfMemory = outOfMemory;
        }

        /** {@return whether the device ran out of memory (a smaller batch may fit)} */
        public boolean outOfMemory() {
            return outOfMemory;
        }
    }
}
