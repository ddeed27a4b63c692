package io.autospec.models;

/**
 * A model that evaluates a network (e.g. {@code onnx:} and {@code onnx-denoiser:}): which evaluator
 * runs it, for the run report, and what its buffers take on the Java heap, for the memory check a
 * run makes before it starts.
 */
public interface NetworkModel {

    /** {@return the evaluator as reports print it, e.g. "onnxruntime-cpu", "host" or "cuda"} */
    String evaluator();

    /** {@return bytes of one evaluation's buffers (rows, outputs, the evaluator's activations)} */
    long bufferBytes();

    /** {@return bytes the model keeps per query of a launch (rows and their bookkeeping)} */
    long bytesPerLaunchQuery();
}
