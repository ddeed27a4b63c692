package io.autospec.onnx;

import io.autospec.models.ModelProvider;
import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.NnException;
import io.autospec.nn.OnnxGraph;
import io.autospec.nn.Plan;
import io.autospec.nn.Planner;
import io.autospec.nn.Slot;
import io.autospec.nn.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the engine sees in a learned network ({@code onnx:} and {@code onnx-denoiser:} specs), for
 * {@code autospec inspect}: the contract as checked at load (n, q and mask id, or d and sigma_max),
 * the graph (inputs, outputs, opsets, metadata, op histogram, external data), whether autospec's
 * executor can run it (or which nodes it cannot), the plan at the chunk, whether a GPU evaluator is
 * usable here, and, for a network the executor runs, a check that it agrees with ONNX Runtime on
 * pseudo-random rows. The report is an ordered map of plain values (strings, numbers, booleans,
 * lists and maps) that a front end prints as text or JSON.
 */
public final class NetworkInspection {
    /**
     * The agreement asked of autospec's executor and ONNX Runtime: the largest difference of a row's
     * outputs, relative to the row's largest |output| (both run float32 kernels that round differently).
     */
    public static final double TOLERANCE = 1e-4;

    /** The most rows of the check. */
    public static final int MAX_ROWS = 4096;

    /**
     * How to inspect: rows of the check (0: none), the seed choosing its rows, threads of both
     * evaluators (0: one per core), and the backend (auto: the GPU evaluator where usable, else the
     * host executor; cpu: the host executor; cuda: the GPU evaluator, required).
     */
    public record Settings(int rows, long seed, int threads, String backend) {}

    private NetworkInspection() {}

    /** {@return whether {@code kind} names a network this class inspects} */
    public static boolean inspects(String kind) {
        return kind.equals("onnx") || kind.equals("onnx-denoiser");
    }

    /**
     * Inspects {@code KIND:ARGUMENT}. Bad input (a missing file, not an ONNX model, a model that breaks
     * the kind's contract, an option out of range, cuda asked for where none is usable): an
     * {@link IllegalArgumentException} whose message is one line naming it.
     */
    public static Map<String, Object> inspect(String kind, String argument, Settings s) {
        return inspect(kind, argument, s, null);
    }

    /** As {@link #inspect(String, String, Settings)}; a non-null {@code device} stands for the GPU (tests plant one). */
    static Map<String, Object> inspect(String kind, String argument, Settings s, ExecutorProvider device) {
        if (!inspects(kind)) throw new IllegalArgumentException("inspect: " + kind + " is not a network kind (onnx, onnx-denoiser)");
        if (s.rows() < 0 || s.rows() > MAX_ROWS) throw new IllegalArgumentException("--rows must be in 0.." + MAX_ROWS + ", got " + s.rows());
        boolean ar = kind.equals("onnx");
        Path file = OnnxModelProvider.path(kind, argument);
        ModelProvider.Context cpu = new ModelProvider.Context(s.threads(), "cpu");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", kind + ":" + argument);
        // The reference opening: ONNX Runtime, with every contract check of a run.
        try (AutoCloseable model = ar
                ? OnnxOracle.open(file, OnnxModelProvider.options(argument, null, cpu).withEvaluator("onnxruntime"))
                : OnnxDenoiser.open(file, OnnxDenoiserProvider.options(argument, cpu).withEvaluator("onnxruntime"))) {
            Network net;
            if (model instanceof OnnxOracle o) {
                net = o.network();
                r.put("kind", "onnx (any-order AR network)");
                r.put("n", o.length());
                r.put("q", o.alphabet());
                r.put("mask id", o.mask());
                if (o.vocabulary() != null) r.put("vocabulary", "\"" + o.vocabulary().symbols() + "\" (value i is character i)");
            } else {
                OnnxDenoiser d = (OnnxDenoiser) model;
                net = d.network();
                r.put("kind", "onnx-denoiser (diffusion denoiser, EDM convention)");
                r.put("d", d.dimension());
                r.put("sigma_max", d.sigmaMax());
            }
            r.put("file", file + " (" + Files.size(file) + " bytes)");
            List<String> feeds = new ArrayList<>();
            for (RowEvaluator.Tensor t : net.signature().inputs()) feeds.add(t.name() + " " + Network.shape(t.shape(-1)));
            r.put("fed", feeds);
            RowEvaluator.Tensor out = net.signature().output();
            r.put("read", out.name() + " " + Network.shape(out.shape(-1)));
            boolean staticBatch = net.evaluator().batch() > 0;
            r.put("chunk", net.chunk() + (staticBatch ? " (the model's static batch)" : net.chunk() == 0 ? " (variable batches)" : ""));

            OnnxGraph graph = null;
            try {
                graph = OnnxGraph.read(file);
                r.put("graph", graph(graph));
            } catch (NnException e) {
                r.put("graph", "autospec's reader cannot read it: " + OrtEvaluator.oneLine(e));
            }
            int planRows = net.chunk() > 0 ? net.chunk() : OnnxOracle.Options.DEFAULT_CHUNK;
            Plan plan = null;
            Map<String, Object> executor = new LinkedHashMap<>();
            if (graph != null) {
                List<String> unsupported = new ArrayList<>();
                for (OnnxGraph.Unsupported u : graph.unsupported()) unsupported.add(u.op() + " (node '" + u.node() + "'): " + u.why());
                try {
                    plan = Planner.plan(graph, PlanEvaluator.shapes(net.signature(), planRows));
                    executor.put("supported", true);
                    executor.put("plan", plan(plan));
                } catch (NnException e) {
                    executor.put("supported", false);
                    executor.put("why", unsupported.isEmpty() ? OrtEvaluator.oneLine(e) : unsupported.size() + " node(s) use ops no step implements");
                    if (!unsupported.isEmpty()) executor.put("unsupported", unsupported);
                }
            } else {
                executor.put("supported", false);
                executor.put("why", "the graph could not be read");
            }
            r.put("autospec executor", executor);
            ExecutorProvider gpu = device != null ? device : Network.cudaProvider();
            String gpuWhy = gpu == null ? "no cuda executor is registered in this build" : gpu.unavailable().orElse(null);
            r.put("gpu evaluator", gpuWhy == null ? "available (" + gpu.name() + ")" : "unavailable: " + gpuWhy);

            if (plan != null && s.rows() > 0 && net.chunk() > 0) {
                r.put("check", check(net, file, staticBatch, s, gpuWhy == null ? gpu : null, gpuWhy));
            } else if (s.rows() > 0) {
                r.put("check", plan == null ? "not run: autospec's executor cannot run this graph"
                        : "not run: chunk=0 (variable batches) runs on ONNX Runtime only");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(file + ": " + OrtEvaluator.oneLine(e), e);
        }
        return r;
    }

    private static Map<String, Object> graph(OnnxGraph g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", g.inputs().stream().map(OnnxGraph.ValueInfo::toString).toList());
        m.put("outputs", g.outputs().stream().map(OnnxGraph.ValueInfo::toString).toList());
        m.put("opset", g.opset());
        if (g.opsets().size() > 1) m.put("opsets", new LinkedHashMap<>(g.opsets()));
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : g.metadata().entrySet()) {
            String v = e.getValue().replaceAll("\\s+", " ");
            meta.put(e.getKey(), v.length() > 160 ? v.substring(0, 157) + "..." : v);
        }
        m.put("metadata", meta);
        m.put("nodes", g.nodes().size());
        m.put("ops", new LinkedHashMap<>(g.opHistogram()));
        long params = 0;
        for (OnnxGraph.Tensor t : g.initializers().values()) params += t.elements();
        m.put("initializers", g.initializers().size() + " (" + params + " values)");
        m.put("external data", g.externalFiles().isEmpty() ? "none" : g.externalFiles().stream().map(Path::toString).toList());
        return m;
    }

    private static Map<String, Object> plan(Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", p.batch());
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (Step st : p.steps()) kinds.merge(st.getClass().getSimpleName(), 1, Integer::sum);
        m.put("steps", p.steps().size() + " " + kinds);
        long[] count = new long[Slot.Kind.values().length], bytes = new long[count.length];
        for (Slot sl : p.slots()) {
            count[sl.kind().ordinal()]++;
            bytes[sl.kind().ordinal()] += 4 * sl.elements();
        }
        for (Slot.Kind k : Slot.Kind.values()) {
            m.put(k.name().toLowerCase(Locale.ROOT) + " slots", count[k.ordinal()] + " (" + bytes[k.ordinal()] + " bytes)");
        }
        return m;
    }

    /**
     * Pseudo-random rows (the load-time probe rows, from a start the seed picks) through ONNX Runtime
     * and autospec's executor: the largest differences, each evaluator's rows per second, the verdict.
     */
    private static Map<String, Object> check(Network net, Path file, boolean staticBatch, Settings s, ExecutorProvider gpu, String gpuWhy) {
        String backend = s.backend() == null ? "auto" : s.backend();
        if (backend.equals("cuda") && gpu == null) {
            throw new IllegalArgumentException(file + ": --backend cuda: the cuda evaluator is unavailable: " + gpuWhy);
        }
        ExecutorProvider device = backend.equals("cpu") ? null : gpu;
        int first = (int) Math.floorMod(s.seed(), 100_000L) * s.rows();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", s.rows() + " pseudo-random rows (seed " + s.seed() + ")");
        long t0 = System.nanoTime();
        double[] ort = net.probeOutputs(net.evaluator(), first, s.rows(), net.chunk());
        long t1 = System.nanoTime();
        double[] own;
        String name;
        long t2;
        try (PlanEvaluator e = PlanEvaluator.open(file, net.signature(), net.chunk(), device, s.threads(), staticBatch)) {
            name = e.name();
            t2 = System.nanoTime();
            own = net.probeOutputs(e, first, s.rows(), net.chunk());
        }
        long t3 = System.nanoTime();
        int width = Math.toIntExact(net.signature().output().rowElements());
        double maxAbs = 0, maxRel = 0;
        for (int row = 0; row < s.rows(); row++) {
            double scale = 0, diff = 0;
            for (int k = row * width; k < (row + 1) * width; k++) {
                scale = Math.max(scale, Math.abs(ort[k]));
                double dk = Math.abs(own[k] - ort[k]);
                if (Double.isNaN(dk) && Double.doubleToLongBits(own[k]) != Double.doubleToLongBits(ort[k])) dk = Double.POSITIVE_INFINITY;
                if (!Double.isNaN(dk)) diff = Math.max(diff, dk);
            }
            maxAbs = Math.max(maxAbs, diff);
            maxRel = Math.max(maxRel, scale > 0 ? diff / scale : diff);
        }
        m.put("evaluators", name + " vs onnxruntime-cpu");
        m.put("max abs difference", maxAbs);
        m.put("max rel difference", maxRel);
        m.put("tolerance", TOLERANCE + " (relative to each row's largest |output|)");
        m.put("verdict", maxRel <= TOLERANCE ? "agree" : "DIFFER");
        m.put("onnxruntime-cpu rows/s (one cold pass)", rate(s.rows(), t1 - t0));
        m.put(name + " rows/s (one cold pass)", rate(s.rows(), t3 - t2));
        return m;
    }

    private static double rate(int rows, long nanos) {
        return Math.round(rows / (nanos / 1e9) * 10) / 10.0;
    }
}
