package io.autospec.cli;

import com.google.gson.GsonBuilder;
import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import io.autospec.onnx.NetworkInspection;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autospec inspect}: what the engine sees in a model, and for a network whether autospec's executor runs it faithfully. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        modelTransformer = RegistryHelp.class,
        sortOptions = false,
        description = {
            "Prints what the engine sees in a model: its kind, n and q (AR) or d (diffusion).",
            "  A network (onnx:, onnx-denoiser:) also shows its contract (mask id, vocabulary, sigma_max), inputs,",
            "  outputs, opset, metadata, op histogram and external data; whether autospec's executor runs the graph",
            "  (else the unsupported ops and their nodes) and its plan at the chunk; whether a GPU evaluator is usable",
            "  here; and, where the executor runs it, the largest difference from ONNX Runtime on --rows pseudo-random",
            "  rows, against a relative tolerance of " + NetworkInspection.TOLERANCE + " (on the GPU with --backend auto|cuda when one is",
            "  usable, else the host executor).",
            "",
            RegistryHelp.MODELS,
            "",
            "Exit codes: 0 done, 1 the inspection failed, 2 bad arguments (a missing file, not an ONNX model, an",
            "  unknown kind).",
            ""
        })
public final class InspectCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "The model (see above).")
    String model;

    @Option(names = "--n", paramLabel = "N", description = "Number of positions of an AR zoo model whose n is not fixed (optional).")
    Integer n;

    @Option(names = "--rows", paramLabel = "R", defaultValue = "16",
            description = "Networks: rows compared between autospec's executor and ONNX Runtime, 0.." + NetworkInspection.MAX_ROWS
                    + " (0: no check; default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed choosing the compared rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "auto | cpu | cuda: where autospec's executor runs the check (default: ${DEFAULT-VALUE}: the GPU when usable, else the host).")
    SampleCommand.BackendName backend;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
            description = "Threads of both evaluators, 0.." + Limits.MAX_THREADS + " (0 = all processors).")
    int threads;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (threads < 0 || threads > Limits.MAX_THREADS) throw usage("--threads must be in 0.." + Limits.MAX_THREADS + ", got " + threads);
        if (n != null && n < 1) throw usage("--n must be >= 1, got " + n);
        Map<String, Object> report;
        try {
            ModelSpec ms = ModelSpec.parse(model);
            if (NetworkInspection.inspects(ms.kind())) {
                String text = model.strip();
                String argument = text.substring(text.indexOf(':') + 1);
                report = NetworkInspection.inspect(ms.kind(), argument, new NetworkInspection.Settings(rows, seed, threads, backend.name()));
            } else {
                report = zoo(ms);
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintStream out = System.out;
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().disableHtmlEscaping().create().toJson(report));
        } else {
            print(out, report, "");
        }
        out.flush();
        return Exits.OK;
    }

    /** A model autospec computes itself: what applies of kind, n and q or d, and whether it is determinantal. */
    private Map<String, Object> zoo(ModelSpec ms) throws IllegalArgumentException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", ms.toString());
        r.put("kind", ms.kind() + " (" + ms.provider().group() + (ms.isDiffusion() ? ", diffusion" : ", AR") + ")");
        ModelProvider.Context ctx = new ModelProvider.Context(threads, "cpu");
        Object built = null;
        try {
            if (ms.isDiffusion()) {
                Denoiser d = ms.denoiser(ctx);
                built = d;
                r.put("d", d.dimension());
                r.put("described", d.describe());
            } else if (n == null && !ms.fixesLength()) {
                r.put("n", "not fixed by the model (give --n N)");
                if (ms.width() > 0) r.put("q", ms.width());
            } else {
                ConditionalOracle o = ms.autoregressive(n, ctx);
                built = o;
                r.put("n", o.length());
                r.put("q", o.alphabet());
                r.put("described", o.describe());
            }
        } finally {
            if (built instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // nothing was run; the report stands
                }
            }
        }
        r.put("determinantal", ms.provider().group().equals("determinantal")
                || built instanceof io.autospec.ar.models.det.DeterminantalOracle);
        r.put("network", "none (autospec computes this model itself)");
        return r;
    }

    /** The report as aligned "key  value" lines, nested maps indented, long lists one item a line. */
    static void print(PrintStream out, Map<String, Object> m, String indent) {
        int width = 0;
        for (String k : m.keySet()) width = Math.max(width, Math.min(k.length(), 24));
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            String key = indent + String.format("%-" + width + "s", e.getKey());
            if (v instanceof Map<?, ?> sub && !sub.isEmpty()) {
                out.println(indent + e.getKey());
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) sub;
                print(out, nested, indent + "  ");
            } else if (v instanceof List<?> list && String.join(", ", list.stream().map(String::valueOf).toList()).length() > 80) {
                out.println(indent + e.getKey());
                for (Object item : list) out.println(indent + "  - " + item);
            } else {
                String text = v instanceof List<?> list ? String.join(", ", list.stream().map(String::valueOf).toList())
                        : v instanceof Map<?, ?> ? "none" : String.valueOf(v);
                out.println(key + "  " + text);
            }
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
