package io.autospec.onnx;

/**
 * What a model whose queries a {@link Network} evaluates says of that network: the evaluator that
 * runs it, the rows it ran, its sizes and the memory it takes. The memory a launch adds per query
 * depends on the model; closing the model frees the network.
 */
public abstract sealed class NetworkModel implements AutoCloseable permits OnnxOracle, OnnxDenoiser {
    NetworkModel() {
    }

    /** The network behind the model (tests reach it too). */
    abstract Network network();

    /** Called once per launch: the launch's rows form one batch. */
    public boolean wholeLaunch() {
        return true;
    }

    /** {@return rows the network has evaluated so far} */
    public long forwardRows() {
        return network().forwardRows();
    }

    /** {@return which evaluator runs the network: "onnxruntime-cpu", "host" or "cuda"} */
    public String evaluator() {
        return network().evaluatorName();
    }

    /** {@return bytes the network's buffers take on the Java heap (one evaluation's rows, outputs and activations)} */
    public long bufferBytes() {
        return network().bufferBytes();
    }

    /** {@return bytes a launch takes per query on top of the network's buffers} */
    public abstract long bytesPerLaunchQuery();

    /** Intra-op threads (0: one per core). */
    public int threads() {
        return network().threads();
    }

    /** {@return rows of every run call (0: variable batches of at most {@link #maxRowsPerRun()})} */
    public int chunk() {
        return network().chunk();
    }

    /** {@return the most rows one run call evaluates now (lowered after running out of memory when chunk is 0)} */
    public int maxRowsPerRun() {
        return network().maxRows();
    }

    @Override
    public void close() {
        network().close();
    }
}
