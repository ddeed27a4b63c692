package io.autospec.onnx;

import io.autospec.nn.Executor;
import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.HostExecutor;
import io.autospec.nn.NnException;
import io.autospec.nn.OnnxGraph;
import io.autospec.nn.Plan;
import io.autospec.nn.Planner;
import io.autospec.nn.Slot;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * autospec's own executor as an evaluator: the graph planned for batch = chunk (nn's Planner) and run
 * by an {@link Executor}, the Java one ("host") or a device's found through
 * {@code ServiceLoader<ExecutorProvider>} ("cuda"). Its kernels never let a row's bits depend on the
 * batch, and every executor of a plan gives the same bits.
 */
final class PlanEvaluator implements RowEvaluator {
    private final Executor executor;
    private final RowEvaluator.Signature signature;
    private final int[] planInput;   // signature input i feeds plan input planInput[i]
    private final int outputIndex;   // the plan output read
    private final Object[] planInputs;
    private final float[][] outputs;

    private PlanEvaluator(Executor executor, RowEvaluator.Signature signature) {
        this.executor = executor;
        this.signature = signature;
        Plan plan = executor.plan();
        planInput = new int[signature.inputs().size()];
        for (int i = 0; i < planInput.length; i++) {
            String name = signature.inputs().get(i).name();
            planInput[i] = plan.inputNames().indexOf(name);
            if (planInput[i] < 0) throw new NnException("the plan has no input '" + name + "' (its inputs: " + plan.inputNames() + ")");
        }
        outputIndex = plan.outputNames().indexOf(signature.output().name());
        if (outputIndex < 0) {
            throw new NnException("the plan has no output '" + signature.output().name() + "' (its outputs: " + plan.outputNames() + ")");
        }
        planInputs = new Object[plan.inputNames().size()];
        outputs = new float[plan.outputNames().size()][];
        for (int o = 0; o < outputs.length; o++) outputs[o] = new float[Math.toIntExact(slot(plan, plan.outputSlots()[o]).elements())];
    }

    /**
     * Plans {@code file} for {@code batch} rows of {@code signature} and opens it on {@code device}
     * (null: the Java host executor with {@code threads} threads).
     *
     * @throws NnException naming the op and node the executor does not support, or what failed
     */
    static PlanEvaluator open(Path file, RowEvaluator.Signature signature, int batch, ExecutorProvider device, int threads) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (RowEvaluator.Tensor t : signature.inputs()) shapes.put(t.name(), t.shape(batch));
        Executor executor = executor(file, shapes, device, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        try {
            if (executor.plan().batch() != batch) {
                throw new NnException("the plan of " + file + " has batch " + executor.plan().batch() + ", asked for " + batch);
            }
            return new PlanEvaluator(executor, signature);
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
    }

    /** The plan of {@code file} for these input shapes, on {@code device} (null: the Java executor). */
    static Executor executor(Path file, Map<String, long[]> shapes, ExecutorProvider device, int threads) {
        Plan plan = Planner.plan(OnnxGraph.read(file), shapes);
        return device == null ? new HostExecutor(plan, threads) : device.open(plan);
    }

    private static Slot slot(Plan plan, int id) {
        return plan.slots().get(id);
    }

    @Override
    public String name() {
        return executor.name();
    }

    @Override
    public int batch() {
        return executor.plan().batch();
    }

    /** The plan's activation slots: what the executor allocates besides weights and the caller's rows. */
    @Override
    public long workingBytes() {
        long bytes = 0;
        for (Slot s : executor.plan().slots()) if (s.kind() == Slot.Kind.ACTIVATION) bytes += 4 * s.elements();
        return bytes;
    }

    @Override
    public void evaluate(int rows, Object[] inputs, double[] out) {
        if (rows != batch()) throw new IllegalStateException("a plan for " + batch() + " rows was given " + rows);
        for (int i = 0; i < inputs.length; i++) {
            int count = Math.toIntExact(rows * signature.inputs().get(i).rowElements());
            Object in = inputs[i];
            Object cut = in instanceof int[] a ? (a.length == count ? a : java.util.Arrays.copyOf(a, count))
                    : ((float[]) in).length == count ? in : java.util.Arrays.copyOf((float[]) in, count);
            planInputs[planInput[i]] = cut;
        }
        try {
            executor.run(planInputs, outputs);
        } catch (NnException e) {
            throw new RowEvaluator.Failure(e.getMessage(), false);
        } catch (OutOfMemoryError e) {
            throw new RowEvaluator.Failure("out of memory (" + e.getMessage() + ")", true);
        }
        float[] o = outputs[outputIndex];
        int size = Math.toIntExact(rows * signature.output().rowElements());
        for (int k = 0; k < size; k++) out[k] = o[k];
    }

    @Override
    public void close() {
        executor.close();
    }
}
