package io.autospec.onnx;

/** A test seam: an evaluator that hands every call to a hook, with the real evaluator beside it. */
final class HookedEvaluator implements RowEvaluator {
    interface Hook {
        void evaluate(RowEvaluator real, int rows, Object[] inputs, double[] out);
    }

    private final RowEvaluator real;
    private final Hook hook;

    private HookedEvaluator(RowEvaluator real, Hook hook) {
        this.real = real;
        this.hook = hook;
    }

    /** Routes the network's evaluations through {@code hook}; closing the network closes the real evaluator. */
    static void install(Network network, Hook hook) {
        network.evaluator(new HookedEvaluator(network.evaluator(), hook));
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public int batch() {
        return real.batch();
    }

    @Override
    public boolean rowByRow() {
        return real.rowByRow();
    }

    @Override
    public void evaluate(int rows, Object[] inputs, double[] out) {
        hook.evaluate(real, rows, inputs, out);
    }

    @Override
    public long workingBytes() {
        return real.workingBytes();
    }

    @Override
    public void close() {
        real.close();
    }
}
