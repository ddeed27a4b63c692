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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * autospec's own executor as an evaluator: the graph planned by nn's Planner and run by an
 * {@link Executor}, the Java one ("host") or a device's found through
 * {@code ServiceLoader<ExecutorProvider>} ("cuda"). Its kernels never let a row's bits depend on the
 * batch, and every executor of a plan gives the same bits.
 *
 * <p>On a device the plan has batch = chunk and every call is padded to it (padding is nearly free
 * there). On the host padding would cost as much as real rows, so the plan has batch 1 and each call
 * evaluates only the rows it is given: one {@link HostExecutor} per worker thread, all sharing the
 * plan's constant slots (the weights are held once), the rows spread over the workers; a call of one
 * row (a sequential round of one sample) goes to one more executor that uses every thread inside the
 * row. A row's bits are those of any batch-C plan, since they depend on nothing but the row (and the
 * host executor's on no thread count).
 */
final class PlanEvaluator implements RowEvaluator {
    private final Worker[] workers;  // one on a device; one per thread on the host
    private final Worker wide;       // host with several threads: one executor using them all, for a call of one row; else null
    private final ExecutorService pool; // host workers 1.. (worker 0 runs on the caller's thread); null otherwise
    private final RowEvaluator.Signature signature;
    private final int fixedBatch;    // rows of every call on a device; 0 on the host (any count)

    /** One executor with its own input and output arrays. */
    private static final class Worker {
        final Executor executor;
        final Object[] planInputs;
        final float[][] outputs;

        Worker(Executor executor) {
            this.executor = executor;
            Plan plan = executor.plan();
            planInputs = new Object[plan.inputNames().size()];
            outputs = new float[plan.outputNames().size()][];
            for (int o = 0; o < outputs.length; o++) outputs[o] = new float[Math.toIntExact(plan.slots().get(plan.outputSlots()[o]).elements())];
        }
    }

    private final int[] planInput;   // signature input i feeds plan input planInput[i]
    private final int outputIndex;   // the plan output read

    private PlanEvaluator(Worker[] workers, Worker wide, RowEvaluator.Signature signature, int fixedBatch) {
        this.workers = workers;
        this.wide = wide;
        this.signature = signature;
        this.fixedBatch = fixedBatch;
        Plan plan = workers[0].executor.plan();
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
        pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length - 1, r -> {
            Thread t = new Thread(r, "autospec-host-rows");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Opens {@code file} for rows of {@code signature}: on {@code device}, a plan of {@code batch} rows;
     * on the host (device null), a plan of one row run by {@code threads} workers (0: one per core),
     * taking calls of any count up to {@code batch} rows. A model whose batch is static ({@code
     * staticBatch}) is planned for {@code batch} rows on the host too, run by one executor of
     * {@code threads} threads.
     *
     * @throws NnException naming the op and node the executor does not support, or what failed
     */
    static PlanEvaluator open(Path file, RowEvaluator.Signature signature, int batch, ExecutorProvider device, int threads,
                              boolean staticBatch) {
        int rows = device == null && !staticBatch ? 1 : batch;
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Plan plan = Planner.plan(OnnxGraph.read(file), shapes(signature, rows));
        if (plan.batch() != rows) throw new NnException("the plan of " + file + " has batch " + plan.batch() + ", asked for " + rows);
        if (device != null) {
            Executor e = device.open(plan);
            try {
                return new PlanEvaluator(new Worker[] {new Worker(e)}, null, signature, batch);
            } catch (RuntimeException x) {
                e.close();
                throw x;
            }
        }
        if (staticBatch) return new PlanEvaluator(new Worker[] {new Worker(new HostExecutor(plan, cores))}, null, signature, batch);
        int n = Math.max(1, Math.min(cores, batch));
        Worker[] ws = new Worker[n];
        for (int w = 0; w < n; w++) ws[w] = new Worker(new HostExecutor(plan, 1)); // constant slots: the plan's arrays, shared
        return new PlanEvaluator(ws, cores > 1 ? new Worker(new HostExecutor(plan, cores)) : null, signature, 0);
    }

    /** The graph's input shapes for {@code rows} rows of {@code signature}. */
    static Map<String, long[]> shapes(RowEvaluator.Signature signature, int rows) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (RowEvaluator.Tensor t : signature.inputs()) shapes.put(t.name(), t.shape(rows));
        return shapes;
    }

    /** The plan of {@code file} for these input shapes, on {@code device} (null: the Java executor). */
    static Executor executor(Path file, Map<String, long[]> shapes, ExecutorProvider device, int threads) {
        Plan plan = Planner.plan(OnnxGraph.read(file), shapes);
        return device == null ? new HostExecutor(plan, threads) : device.open(plan);
    }

    @Override
    public String name() {
        return workers[0].executor.name();
    }

    @Override
    public int batch() {
        return fixedBatch;
    }

    /** The host plan evaluates just the rows it is given; a device pads to its batch. */
    @Override
    public boolean rowByRow() {
        return fixedBatch == 0;
    }

    /** The activation slots of every worker's plan: what is allocated besides weights and the caller's rows. */
    @Override
    public long workingBytes() {
        long bytes = 0;
        for (Slot s : workers[0].executor.plan().slots()) if (s.kind() == Slot.Kind.ACTIVATION) bytes += 4 * s.elements();
        return bytes * (workers.length + (wide == null ? 0 : 1));
    }

    @Override
    public void evaluate(int rows, Object[] inputs, double[] out) {
        try {
            if (fixedBatch > 0) {
                if (rows != fixedBatch) throw new IllegalStateException("a plan for " + fixedBatch + " rows was given " + rows);
                run(workers[0], 0, rows, inputs, out);
            } else if (rows == 1 && wide != null) {
                run(wide, 0, 1, inputs, out);
            } else {
                spread(rows, inputs, out);
            }
        } catch (NnException e) {
            throw new RowEvaluator.Failure(e.getMessage(), false);
        } catch (OutOfMemoryError e) {
            throw new RowEvaluator.Failure("out of memory (" + e.getMessage() + ")", true);
        }
    }

    /** Host: rows [0, rows) one at a time, worker w taking a contiguous share; the caller's thread is worker 0. */
    private void spread(int rows, Object[] inputs, double[] out) {
        int used = Math.min(workers.length, rows);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 1; w < used; w++) {
            int from = rows * w / used, to = rows * (w + 1) / used;
            Worker wk = workers[w];
            fs.add(pool.submit(() -> {
                for (int r = from; r < to; r++) run(wk, r, 1, inputs, out);
            }));
        }
        RuntimeException first = null;
        try {
            for (int r = 0, to = rows / used; r < to; r++) run(workers[0], r, 1, inputs, out);
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : fs) { // wait for every worker, also after a failure: none may still write into out
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) first = new NnException("host evaluation interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof OutOfMemoryError oom) throw oom;
                if (first == null) first = c instanceof RuntimeException r ? r : new NnException("host evaluation failed: " + c, c);
            }
        }
        if (first != null) throw first;
    }

    /** Rows [first, first + count) of the caller's buffers through one worker's plan of {@code count} rows. */
    private void run(Worker w, int first, int count, Object[] inputs, double[] out) {
        for (int i = 0; i < inputs.length; i++) {
            int width = Math.toIntExact(signature.inputs().get(i).rowElements());
            int from = first * width, size = count * width;
            Object in = inputs[i];
            Object cut;
            if (in instanceof int[] a) cut = from == 0 && a.length == size ? a : java.util.Arrays.copyOfRange(a, from, from + size);
            else {
                float[] f = (float[]) in;
                cut = from == 0 && f.length == size ? f : java.util.Arrays.copyOfRange(f, from, from + size);
            }
            w.planInputs[planInput[i]] = cut;
        }
        w.executor.run(w.planInputs, w.outputs);
        float[] o = w.outputs[outputIndex];
        int width = Math.toIntExact(signature.output().rowElements());
        int base = first * width;
        for (int k = 0, size = count * width; k < size; k++) out[base + k] = o[k];
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
        for (Worker w : workers) w.executor.close();
        if (wide != null) wide.executor.close();
    }
}
