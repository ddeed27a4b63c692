package io.autospec.onnx;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Schedule;
import io.autospec.nn.Executor;
import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.HostExecutor;
import io.autospec.nn.Plan;
import io.autospec.nn.Slot;
import io.autospec.nn.Step;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Learned networks on autospec's executor versus ONNX Runtime, as Markdown tables (benchmarks/gpu-nn-measure.sh
 * runs it on a GPU host; timings of a dry run mean nothing):
 * <ul>
 *   <li>{@code rows MODEL...}: network rows per second at each {@code --batches} size, the cuda executor
 *   (the host executor with {@code --emulate}) vs ONNX Runtime's CPU provider on {@code --threads}
 *   threads, and their largest relative difference on the same rows; at the first batch also whether
 *   the device's outputs are the host executor's bit for bit (the whole plan, every step);</li>
 *   <li>{@code gemm MxNxK...}: TFLOP/s of the executor's matmul step, from plans of 1 and 1 + R copies
 *   of the step (the difference is kernel time alone, transfers cancel; R gives about 2 TFLOP of work,
 *   5 to {@code --reps});</li>
 *   <li>{@code wall MODEL|STRATEGY|M...}: wall time per sample through the engine with evaluator cuda
 *   (host with --emulate) and onnxruntime; a cell past {@code --cell-limit} seconds is stopped, and
 *   for sequential its wall estimated from the rows it did (sequential costs the same rows every
 *   round), said so in the table.</li>
 * </ul>
 * Models are names in {@code --models DIR}: text (text.onnx, AR) or digits-denoiser (1024 geometric steps).
 */
public final class NetMeasure {
    private NetMeasure() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String mode = rest.remove(0);
        boolean emulate = rest.remove("--emulate");
        int threads = Integer.parseInt(option(rest, "--threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        Path models = Path.of(option(rest, "--models", "onnx/models"));
        double cellSeconds = Double.parseDouble(option(rest, "--cell-limit", "20"));
        int[] batches = Arrays.stream(option(rest, "--batches", "16,256,4096").split(",")).mapToInt(Integer::parseInt).toArray();
        int reps = Integer.parseInt(option(rest, "--reps", "1000"));
        ExecutorProvider device = emulate ? null : Network.cudaProvider();
        if (!emulate) {
            String why = device == null ? "no cuda executor is registered in this build" : device.unavailable().orElse(null);
            if (why != null) {
                System.out.println("cuda unavailable: " + why);
                System.exit(1);
            }
        }
        String own = emulate ? "host (emulating cuda)" : "cuda";
        PrintStream out = System.out;
        out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version")
                + ", ONNX Runtime threads " + threads + "; " + own + (emulate ? " (a dry run: timings mean nothing)" : ""));
        switch (mode) {
            case "rows" -> {
                out.println();
                out.println("| model | batch | " + own + " rows/s | onnxruntime-cpu rows/s | ratio | max rel diff | bits = host executor |");
                out.println("|---|---:|---:|---:|---:|---:|---|");
                for (String m : rest) rows(models, m, batches, device, threads, cellSeconds, out);
            }
            case "gemm" -> {
                out.println();
                out.println("| M x N x K | " + own + " ms per matmul | TFLOP/s |");
                out.println("|---|---:|---:|");
                for (String s : rest) gemm(s, device, threads, reps, out);
            }
            case "wall" -> {
                out.println();
                out.println("| model | strategy | M | evaluator | wall per sample (s) | rounds | forward rows | samples md5 | note |");
                out.println("|---|---|---:|---|---:|---:|---:|---|---|");
                for (String cell : rest) {
                    String[] p = cell.split("\\|");
                    for (String ev : new String[] {"cuda", "onnxruntime"}) {
                        wall(models, p[0], p[1], Integer.parseInt(p[2]), ev, emulate, threads, cellSeconds, out);
                    }
                }
            }
            default -> throw new IllegalArgumentException("mode must be rows, gemm or wall, got " + mode);
        }
    }

    private static String option(List<String> args, String name, String otherwise) {
        int i = args.indexOf(name);
        if (i < 0) return otherwise;
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }

    private static boolean ar(String model) {
        return !model.contains("denoiser");
    }

    /** The model opened on ONNX Runtime: variable batches of at most {@code maxRows} rows (no chunk check at load). */
    private static AutoCloseable openOrt(Path models, String model, int maxRows, int threads) {
        Path file = models.resolve(model + ".onnx");
        return ar(model)
                ? OnnxOracle.open(file, OnnxOracle.Options.defaults().withThreads(threads).withChunk(0).withMaxRowsPerRun(maxRows)
                        .withEvaluator("onnxruntime").withBackend("cpu"))
                : OnnxDenoiser.open(file, OnnxDenoiser.Options.defaults().withThreads(threads).withChunk(0).withMaxRowsPerRun(maxRows)
                        .withEvaluator("onnxruntime").withBackend("cpu"));
    }

    private static Network network(AutoCloseable model) {
        return ((NetworkModel) model).network();
    }

    // ---------------------------------------------------------------- rows per second

    private static void rows(Path models, String model, int[] batches, ExecutorProvider device, int threads, double cellSeconds,
                             PrintStream out) throws Exception {
        int most = Arrays.stream(batches).max().orElse(16);
        try (AutoCloseable m = openOrt(models, model, most, threads)) {
            Network net = network(m);
            double ortRate = 0;
            int ortBatch = 0;
            for (int b : batches) {
                double[] ownOut, ortOut = null;
                double own;
                try (PlanEvaluator e = PlanEvaluator.open(models.resolve(model + ".onnx"), net.signature(), b, device, threads, false)) {
                    Timed t = timed(() -> net.probeOutputs(e, 0, b, b), b, cellSeconds);
                    own = t.rate;
                    ownOut = t.first;
                }
                String ort;
                double predicted = ortRate > 0 ? b / ortRate : 0;
                if (predicted > 3 * cellSeconds) {
                    ort = String.format(Locale.ROOT, "not run (about %.0f s a call at %.1f rows/s, batch %d)", predicted, ortRate, ortBatch);
                } else {
                    Timed t = timed(() -> net.probeOutputs(net.evaluator(), 0, b, b), b, cellSeconds);
                    ortRate = t.rate;
                    ortBatch = b;
                    ortOut = t.first;
                    ort = String.format(Locale.ROOT, "%.1f", t.rate);
                }
                String ratio = ortOut == null ? "" : String.format(Locale.ROOT, "%.2f", own / ortRate);
                String same = "";
                if (b == batches[0] && device != null) { // the whole plan on the device against the Java executor, bit for bit
                    try (PlanEvaluator host = PlanEvaluator.open(models.resolve(model + ".onnx"), net.signature(), b, null, threads, false)) {
                        double[] h = net.probeOutputs(host, 0, b, b);
                        int differ = 0;
                        for (int k = 0; k < h.length; k++) if (Double.doubleToLongBits(h[k]) != Double.doubleToLongBits(ownOut[k])) differ++;
                        same = differ == 0 ? "yes (" + h.length + " values)" : "NO: " + differ + " of " + h.length + " values differ";
                    }
                }
                out.printf(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s |%n", model, b, own, ort, ratio,
                        ortOut == null ? "" : String.format(Locale.ROOT, "%.2e", maxRelative(ownOut, ortOut, Math.toIntExact(net.signature().output().rowElements()))),
                        same);
                out.flush();
            }
        }
    }

    private record Timed(double rate, double[] first) {}

    private interface Call {
        double[] run();
    }

    /** Rows per second of {@code call} ({@code rows} rows each): a warm-up call, then calls until {@code seconds} pass (at least one). */
    private static Timed timed(Call call, int rows, double seconds) {
        long w0 = System.nanoTime();
        double[] first = call.run();
        long w1 = System.nanoTime();
        if ((w1 - w0) / 1e9 > seconds / 2) return new Timed(rows / ((w1 - w0) / 1e9), first); // slow: the warm-up call is the figure
        int calls = 0;
        long t0 = System.nanoTime(), t;
        do {
            call.run();
            calls++;
            t = System.nanoTime();
        } while ((t - t0) / 1e9 < seconds / 2 && calls < 200);
        return new Timed((double) calls * rows / ((t - t0) / 1e9), first);
    }

    /** The largest difference of a row relative to the row's largest |value| (b the reference). */
    static double maxRelative(double[] a, double[] b, int width) {
        double worst = 0;
        for (int r = 0; r * width < b.length; r++) {
            double scale = 0, diff = 0;
            for (int k = r * width; k < (r + 1) * width; k++) {
                scale = Math.max(scale, Math.abs(b[k]));
                diff = Math.max(diff, Math.abs(a[k] - b[k]));
            }
            worst = Math.max(worst, scale > 0 ? diff / scale : diff);
        }
        return worst;
    }

    // ---------------------------------------------------------------- matmul

    /** A plan of {@code copies} identical matmul steps A[m,k] x B[k,n] -> C (A an input, B a constant). */
    static Plan matmulPlan(int m, int n, int k, int copies, SplittableRandom rnd) {
        float[] b = new float[Math.multiplyExact(k, n)];
        for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - 0.5);
        List<Slot> slots = List.of(
                new Slot(0, "A", Slot.Type.FLOAT, Slot.Kind.INPUT, new long[] {m, k}, (long) m * k, null, null),
                new Slot(1, "B", Slot.Type.FLOAT, Slot.Kind.CONSTANT, new long[] {k, n}, (long) k * n, b, null),
                new Slot(2, "C", Slot.Type.FLOAT, Slot.Kind.ACTIVATION, new long[] {m, n}, (long) m * n, null, null));
        List<Step> steps = new ArrayList<>();
        for (int c = 0; c < copies; c++) steps.add(new Step.MatMul(0, 1, -1, 2, 1, m, n, k, 0, 0, false));
        return new Plan(1, slots, steps, List.of("A"), new int[] {0}, List.of("C"), new int[] {2});
    }

    private static void gemm(String size, ExecutorProvider device, int threads, int reps, PrintStream out) {
        String[] d = size.split("x");
        int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
        SplittableRandom rnd = new SplittableRandom(1);
        float[] a = new float[Math.multiplyExact(m, k)];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - 0.5);
        // Enough copies for about 2 TFLOP of extra work (at least 5, at most the --reps cap), so that the difference dwarfs the transfers.
        reps = (int) Math.max(5, Math.min(reps, 2e12 / (2.0 * m * n * k)));
        double one = planSeconds(matmulPlan(m, n, k, 1, rnd.split()), a, device, threads);
        double many = planSeconds(matmulPlan(m, n, k, 1 + reps, rnd.split()), a, device, threads);
        double perStep = Math.max(1e-12, (many - one) / reps);
        out.printf(Locale.ROOT, "| %dx%dx%d | %.3f | %.2f |%n", m, n, k, perStep * 1e3, 2.0 * m * n * k / perStep / 1e12);
        out.flush();
    }

    /** The best of 3 timed runs of the plan (after a warm-up run). */
    private static double planSeconds(Plan plan, float[] a, ExecutorProvider device, int threads) {
        try (Executor e = device == null ? new HostExecutor(plan, threads) : device.open(plan)) {
            float[][] outs = {new float[Math.toIntExact(plan.slots().get(2).elements())]};
            e.run(new Object[] {a}, outs);
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                e.run(new Object[] {a}, outs);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return best;
        }
    }

    // ---------------------------------------------------------------- wall per sample

    private static void wall(Path models, String model, String strategy, int m, String evaluator, boolean emulate, int threads,
                             double cellSeconds, PrintStream out) {
        Path file = models.resolve(model + ".onnx");
        String ev = evaluator.equals("cuda") && emulate ? "host" : evaluator;
        String backend = ev.equals("cuda") ? "cuda" : "cpu";
        boolean isAr = ar(model);
        int steps = 1024;
        String note = "";
        double perSample;
        long rounds = 0, rows;
        String md5 = "";
        try (AutoCloseable opened = isAr
                ? OnnxOracle.open(file, OnnxOracle.Options.defaults().withThreads(threads).withEvaluator(ev).withBackend(backend))
                : OnnxDenoiser.open(file, OnnxDenoiser.Options.defaults().withThreads(threads).withEvaluator(ev).withBackend(backend))) {
            Network net = network(opened);
            long start = System.nanoTime(); // after loading: ONNX Runtime's chunk check is not the sampler's time
            long until = start + (long) (cellSeconds * 1e9);
            // Stops a run once its time is up (the engine reports the failure; the cell says what it did).
            HookedEvaluator.install(net, (real, count, in, values) -> {
                if (System.nanoTime() > until) throw new RowEvaluator.Failure("the cell's time limit passed", false);
                real.evaluate(count, in, values);
            });
            try {
                RunResult<?> r = isAr
                        ? Autospec.autoregressive((OnnxOracle) opened).strategy(strategy(strategy, true)).seed(1).backend(new CpuBackend(1)).sample(m)
                        : Autospec.diffusion((OnnxDenoiser) opened, Schedule.geometric(steps, 1e-3)).strategy(strategy(strategy, false)).seed(1)
                                .backend(new CpuBackend(1)).sample(m);
                perSample = (System.nanoTime() - start) / 1e9 / m;
                rounds = r.metrics().rounds();
                rows = r.metrics().forwardRows();
                md5 = md5(r.samples());
            } catch (RuntimeException e) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                rows = net.forwardRows();
                long need = (long) (isAr ? ((OnnxOracle) opened).length() : steps) * m; // sequential: one row per sample and step
                if (strategy.equals("sequential") && rows > 0) {
                    perSample = elapsed * need / rows / m;
                    note = String.format(Locale.ROOT, "stopped at %.0f s: estimated from %d of %d rows", elapsed, rows, need);
                } else {
                    perSample = Double.NaN;
                    note = String.format(Locale.ROOT, "stopped at %.0f s (over the cell's limit; %d rows done): %s", elapsed, rows,
                            e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
                }
            }
            String name = net.evaluatorName();
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | %s | %s |%n", model, strategy, m, name,
                    Double.isNaN(perSample) ? "> " + String.format(Locale.ROOT, "%.1f", cellSeconds / m) : String.format(Locale.ROOT, "%.4f", perSample),
                    rounds == 0 ? "" : Long.toString(rounds), rows, md5, note);
        } catch (Exception e) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | | | | | failed: %s |%n", model, strategy, m, ev,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        out.flush();
    }

    private static Strategy strategy(String name, boolean ar) {
        return switch (name) {
            case "sequential" -> Autospec.sequential();
            case "jacobi" -> Autospec.jacobi();
            case "auto" -> Autospec.auto();
            case "picard" -> Autospec.picard(64, 0);
            default -> throw new IllegalArgumentException("strategy " + name + (ar ? " (AR)" : " (diffusion)"));
        };
    }

    /** The first 12 hex digits of the md5 of the samples (int[] or double[] rows), to compare strategies. */
    private static String md5(List<?> samples) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        for (Object s : samples) {
            if (s instanceof int[] v) {
                ByteBuffer b = ByteBuffer.allocate(4 * v.length);
                for (int x : v) b.putInt(x);
                md.update(b.array());
            } else {
                double[] v = (double[]) s;
                ByteBuffer b = ByteBuffer.allocate(8 * v.length);
                for (double x : v) b.putDouble(x);
                md.update(b.array());
            }
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    }
}
