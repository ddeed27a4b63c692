package io.autospec.cuda;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ProductOracle;
import io.autospec.backend.Backend;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.Schedule;
import io.autospec.diffusion.models.IsotropicMixture;
import io.autospec.models.ModelSpec;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * The GPU measurements (RESULTS.md section 6) on a real GPU, CPU beside it in the same JVM, printed as Markdown:
 * <ul>
 * <li>{@code overhead}: the cost of a minimal round — one query launched on the device (upload,
 *     kernel, download, stream sync) timed call by call, and a whole sequential run of tiny AR and
 *     diffusion models divided by its rounds (launch + sync + scheduler);</li>
 * <li>{@code throughput}: queries per second for each zoo model and for {@code ust:grid},
 *     {@code aztec}, {@code dpp:random} at batch sizes 1e2, 1e4, 1e6 (random contexts from
 *     {@link BackendContract#randomBatch}): the first launch (cold: uploads, factor rows) and the
 *     median of repeated launches (warm);</li>
 * <li>{@code wall}: wall time per sample CPU vs GPU for the cells given as
 *     {@code MODEL|N|STRATEGY|M} arguments (N = n for AR, steps for diffusion; 0 when the model
 *     fixes it), with "same samples" for AR and the largest difference for diffusion;</li>
 * <li>{@code resident latency|qps|wall}: the device-resident rounds of {@code sequential} and
 *     {@code jacobi} against the engine's host-built rounds on the same device (a second backend with
 *     resident rounds off) and the CPU: wall per round of {@code sequential} at M = 1 (with the CPU
 *     at 1 thread too), queries per second of {@code jacobi} runs whose rounds hold about
 *     {@code --sizes} queries, or the wall cells with both GPU columns. {@code --cpu-only} measures
 *     the CPU columns alone, without any device.</li>
 * </ul>
 * Every row is printed as soon as it is measured. {@code --deadline SECONDS} (wall, from start)
 * skips what would start after it, and a cell whose CPU run is predicted (from its GPU run and the
 * previous CPU/GPU ratio of the same model) to exceed {@code --cpu-cap} seconds is not run on the CPU.
 * Device memory (cuMemGetInfo, primary context held) is printed before and after.
 */
public final class GpuMeasure {
    private GpuMeasure() {}

    private static long start;
    private static double deadline = Double.MAX_VALUE;

    public static void main(String[] args) throws Exception {
        start = System.nanoTime();
        String mode = args[0];
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        deadline = option(rest, "--deadline", Double.MAX_VALUE);
        double cpuCap = option(rest, "--cpu-cap", 30);
        int threads = (int) option(rest, "--threads", Runtime.getRuntime().availableProcessors());
        boolean emulate = rest.remove("--emulate"); // a dry run of this program on the host emulator (timings mean nothing)
        boolean cpuOnly = rest.remove("--cpu-only"); // resident mode: the CPU columns alone, no device at all
        boolean resident = mode.equals("resident");
        if (cpuOnly && !resident) throw new IllegalArgumentException("--cpu-only is for the resident mode, not " + mode);
        CUdevice dev = null;
        if (!emulate && !cpuOnly) {
            CudaProbe.Result probe = CudaProbe.probe();
            if (!probe.available()) {
                System.out.println("CUDA is not available: " + probe.reason());
                System.exit(2);
            }
            dev = new CUdevice();
            CUcontext ctx = new CUcontext();
            JCudaDevice.check(JCudaDriver.cuDeviceGet(dev, 0), "cuDeviceGet");
            JCudaDevice.check(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev), "cuDevicePrimaryCtxRetain");
            JCudaDevice.check(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        }
        long free0 = dev == null ? 0 : free();
        System.out.printf(Locale.ROOT, "- %s: %s, java %s, CPU backend threads %d%s%n", mode, ZonedDateTime.now(),
                System.getProperty("java.version"), threads, emulate ? " (host emulator: timings mean nothing)" : "");
        CudaBackend.Options options = CudaBackend.Options.defaults().withCpuThreads(threads);
        // The resident mode holds two backends on one device (resident rounds on and off): each gets under half of it.
        if (resident && dev != null) options = options.withMemoryBudget(free0 * 45 / 100);
        try (CpuBackend cpu = new CpuBackend(threads);
             CudaBackend gpu = cpuOnly ? null : openGpu(emulate, options);
             CudaBackend engine = resident && !cpuOnly ? openGpu(emulate, options.withResidentRounds(false)) : null) {
            System.out.println("- device: " + (gpu == null ? "none (--cpu-only: the CPU columns alone)" : gpu.describe()));
            System.out.printf(Locale.ROOT, "- device memory free before the backend: %d MiB%n", free0 >> 20);
            switch (mode) {
                case "overhead" -> overhead(cpu, gpu);
                case "throughput" -> throughput(cpu, gpu, cpuCap, rest.isEmpty() ? "" : rest.get(0));
                case "wall" -> wall(List.of(new Lane("gpu", gpu)), cpu, rest, cpuCap);
                case "resident" -> resident(cpu, gpu, engine, rest, cpuCap);
                default -> throw new IllegalArgumentException("mode " + mode);
            }
            System.out.println();
            if (gpu != null) System.out.println("- CUDA backend: " + gpu.stats());
            if (engine != null) System.out.println("- CUDA backend, resident rounds off: " + engine.stats());
        }
        if (dev == null) return;
        long free1 = free();
        System.out.printf(Locale.ROOT, "- device memory free after the backend closed: %d MiB (%+d bytes vs before)%n",
                free1 >> 20, free1 - free0);
        JCudaDriver.cuDevicePrimaryCtxRelease(dev);
    }

    private static CudaBackend openGpu(boolean emulate, CudaBackend.Options options) {
        return emulate ? new CudaBackend(new EmulatedDevice(HostBuild.emulator().executable(), 1L << 31), options)
                       : CudaBackend.open(options);
    }

    // ---------------------------------------------------------------------------------- overhead

    private static void overhead(CpuBackend cpu, CudaBackend gpu) {
        System.out.println();
        System.out.println("| what | backend | calls | mean µs | median µs | p90 µs |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        ConditionalOracle product = ProductOracle.random(64, 2, 1);
        ConditionalBatch one = BackendContract.randomBatch(product, 1, 1);
        for (Backend b : List.of(gpu, cpu)) {
            for (int i = 0; i < 500; i++) b.conditionals(product, one, 0, 1); // warm-up (JIT, buffers)
            int calls = 5000;
            long[] ns = new long[calls];
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                b.conditionals(product, one, 0, 1);
                ns[i] = System.nanoTime() - t;
            }
            printCalls("one-query launch (product n=64)", b.name(), ns);
        }
        // Whole rounds: sequential runs whose every round is one tiny launch.
        System.out.println();
        System.out.println("| run (sequential, M = 1) | backend | rounds | launches | wall s | µs per round |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        ConditionalOracle chain = MarkovChain.stay(20000, 2, 0.9);
        Denoiser mix = IsotropicMixture.randomGmm(4, 2, 1);
        for (Backend b : List.of(gpu, cpu)) {
            Autospec.autoregressive(MarkovChain.stay(2000, 2, 0.9)).strategy(Autospec.sequential()).seed(1).backend(b).sample(1);
            long t = System.nanoTime();
            RunResult<int[]> r = Autospec.autoregressive(chain).strategy(Autospec.sequential()).seed(1).backend(b).sample(1);
            double s = (System.nanoTime() - t) * 1e-9;
            System.out.printf(Locale.ROOT, "| markov q=2 n=20000 | %s | %d | %d | %.3f | %.1f |%n", b.name(), r.metrics().rounds(),
                    r.metrics().launches(), s, s * 1e6 / r.metrics().rounds());
        }
        for (Backend b : List.of(gpu, cpu)) {
            Autospec.diffusion(mix, Schedule.geometric(2000, 1e-3)).strategy(Autospec.sequential()).seed(1).backend(b).sample(1);
            long t = System.nanoTime();
            RunResult<double[]> r = Autospec.diffusion(mix, Schedule.geometric(20000, 1e-3)).strategy(Autospec.sequential())
                    .seed(1).backend(b).sample(1);
            double s = (System.nanoTime() - t) * 1e-9;
            System.out.printf(Locale.ROOT, "| gmm k=4 d=2, 20000 steps | %s | %d | %d | %.3f | %.1f |%n", b.name(), r.metrics().rounds(),
                    r.metrics().launches(), s, s * 1e6 / r.metrics().rounds());
        }
    }

    private static void printCalls(String what, String backend, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0) / 1e3;
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f |%n", what, backend, s.length, mean,
                s[s.length / 2] / 1e3, s[(int) (s.length * 0.9)] / 1e3);
    }

    // -------------------------------------------------------------------------------- throughput

    /** {@code only}: a substring of the model names to run (all when empty). */
    private static void throughput(CpuBackend cpu, CudaBackend gpu, double cpuCap, String only) {
        Map<String, String> models = new LinkedHashMap<>();
        models.put("ust:grid=16x16", "0");
        models.put("aztec:order=8", "0");
        models.put("dpp:random,n=512,rank=64", "0");
        models.put("product:q=4", "1024");
        models.put("markov:q=2,stay=0.9", "1024");
        models.put("potts:q=8,stay=0.7", "1024");
        models.put("parity:constraints=32", "1024");
        models.put("ltr-markov:q=2,stay=0.999", "1024");
        models.put("curie-weiss:beta=1.2", "1024");
        Map<String, ConditionalOracle> oracles = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : models.entrySet()) {
            int n = Integer.parseInt(m.getValue());
            oracles.put(m.getKey() + (n > 0 ? " n=" + n : ""), ModelSpec.parse(m.getKey()).autoregressive(n > 0 ? n : null));
            if (m.getKey().startsWith("ltr")) oracles.put("table n=6 q=3", Zoo.table(6, 3, 7));
        }
        System.out.println();
        System.out.println("Queries per second; cold = the first launch of the batch (uploads, factor rows), warm = median of repeated launches.");
        System.out.println();
        System.out.println("| model | batch | gpu cold q/s | gpu warm q/s | cpu cold q/s | cpu warm q/s | gpu/cpu (warm) | same output |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (Map.Entry<String, ConditionalOracle> e : oracles.entrySet()) {
            if (!e.getKey().contains(only)) continue;
            double cpuPerQuery = 0; // seconds, from the previous size
            for (int size : new int[] {100, 10_000, 1_000_000}) {
                if (past()) {
                    System.out.printf("| %s | %d | not run (deadline) | | | | | |%n", e.getKey(), size);
                    continue;
                }
                ConditionalOracle o = e.getValue();
                ConditionalBatch gb = BackendContract.randomBatch(o, size, 3);
                double[] g = times(gpu, o, gb, size);
                String cpuCold = "", cpuWarm = "", ratio = "", same = "";
                if (cpuPerQuery * size * 4 > cpuCap) {
                    cpuCold = String.format(Locale.ROOT, "skipped (predicted %.0f s)", cpuPerQuery * size);
                } else {
                    ConditionalBatch cb = BackendContract.randomBatch(o, size, 3);
                    double[] c = times(cpu, o, cb, size);
                    cpuPerQuery = 1 / c[1];
                    cpuCold = rate(c[0]);
                    cpuWarm = rate(c[1]);
                    ratio = String.format(Locale.ROOT, "%.1f", g[1] / c[1]);
                    same = compare(cb.out(), gb.out(), size * o.alphabet());
                }
                System.out.printf("| %s | %d | %s | %s | %s | %s | %s | %s |%n", e.getKey(), size, rate(g[0]), rate(g[1]),
                        cpuCold, cpuWarm, ratio, same);
            }
        }
    }

    /** {cold, warm} queries per second. */
    private static double[] times(Backend b, ConditionalOracle o, ConditionalBatch batch, int size) {
        long t = System.nanoTime();
        b.conditionals(o, batch, 0, size);
        double cold = (System.nanoTime() - t) * 1e-9;
        List<Double> reps = new ArrayList<>();
        double spent = 0;
        while (reps.size() < 3 || (spent < 0.5 && reps.size() < 200)) {
            t = System.nanoTime();
            b.conditionals(o, batch, 0, size);
            double s = (System.nanoTime() - t) * 1e-9;
            reps.add(s);
            spent += s;
        }
        reps.sort(null);
        return new double[] {size / cold, size / reps.get(reps.size() / 2)};
    }

    private static String compare(double[] a, double[] b, int len) {
        double max = 0;
        boolean same = true;
        for (int i = 0; i < len; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) same = false;
            if (!(Double.isNaN(a[i]) && Double.isNaN(b[i]))) max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return same ? "bit-identical" : String.format(Locale.ROOT, "max diff %.1e", max);
    }

    private static String rate(double qps) {
        return String.format(Locale.ROOT, "%.3g", qps);
    }

    // ---------------------------------------------------------------------------------- resident

    /**
     * Device-resident rounds against the engine's host-built rounds (resident rounds off, same device)
     * and the CPU, one part per call: {@code latency} (sequential, M = 1: wall per round),
     * {@code qps} (jacobi rounds of about each {@code --sizes} queries: queries per second) or
     * {@code wall CELL...} (wall time per sample, as the wall mode). Without a device
     * ({@code --cpu-only}) only the CPU columns are measured.
     */
    private static void resident(CpuBackend cpu, CudaBackend gpu, CudaBackend engine, List<String> args, double cpuCap) {
        int n = (int) option(args, "--n", 4096);
        int window = (int) option(args, "--window", 256);
        double[] sizes = Arrays.stream(textOption(args, "--sizes", "1e4,1e6").split(",")).mapToDouble(Double::parseDouble).toArray();
        if (args.isEmpty()) throw new IllegalArgumentException("resident needs a part: latency, qps or wall CELL...");
        String part = args.remove(0);
        List<Lane> gpus = new ArrayList<>();
        if (gpu != null) {
            gpus.add(new Lane("resident", gpu));
            gpus.add(new Lane("engine", engine));
        }
        switch (part) {
            case "latency" -> roundLatency(gpus, cpu, n);
            case "qps" -> residentThroughput(gpus, cpu, sizes, window, cpuCap);
            case "wall" -> wall(gpus, cpu, args, cpuCap);
            default -> throw new IllegalArgumentException("resident part " + part + " (latency, qps or wall)");
        }
    }

    /** Wall per round of {@code sequential} at M = 1 (every round one query): the fixed cost of a round. */
    private static void roundLatency(List<Lane> gpus, CpuBackend cpu, int n) {
        System.out.println();
        System.out.println("Sequential, M = 1, n = " + n + ": every round is one query; wall / rounds over repeated runs "
                + "(after two warm-up runs on each backend). Same samples: against the CPU backend's.");
        System.out.println();
        System.out.println("| model | backend | rounds | resident rounds | runs | median µs/round | best µs/round | same samples |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---|");
        List<String> summary = new ArrayList<>();
        try (CpuBackend one = new CpuBackend(1)) {
            List<Lane> lanes = new ArrayList<>(gpus);
            lanes.add(new Lane("cpu, 1 thread", one));
            lanes.add(new Lane("cpu, " + cpu.threads() + " threads", cpu));
            for (String model : List.of("markov:q=2,stay=0.9", "product:q=2")) {
                ConditionalOracle o = ModelSpec.parse(model).autoregressive(n);
                Function<Backend, RunResult<?>> run = b -> Autospec.autoregressive(o).strategy(Autospec.sequential()).seed(1).backend(b).sample(1);
                RunResult<?> reference = run.apply(cpu);
                Map<String, Double> medians = new LinkedHashMap<>();
                for (Lane l : lanes) {
                    if (past()) {
                        System.out.printf("| %s | %s | not run (deadline) | | | | | |%n", model, l.label());
                        continue;
                    }
                    run.apply(l.backend());
                    run.apply(l.backend());
                    List<Double> perRound = new ArrayList<>();
                    Timed t;
                    double spent = 0;
                    do {
                        t = timed(l.backend(), run);
                        perRound.add(t.seconds() * 1e6 / t.result().metrics().rounds());
                        spent += t.seconds();
                    } while (perRound.size() < 3 || (spent < 0.5 && perRound.size() < 50));
                    perRound.sort(null);
                    double median = perRound.get(perRound.size() / 2);
                    medians.put(l.label(), median);
                    System.out.printf(Locale.ROOT, "| %s n=%d | %s | %d | %d | %d | %.2f | %.2f | %s |%n", model, n, l.label(),
                            t.result().metrics().rounds(), t.residentRounds(), perRound.size(), median, perRound.get(0),
                            same(List.of(l.label(), "cpu"), List.of(t.result(), reference), false));
                }
                if (medians.containsKey("resident") && medians.containsKey("engine")) {
                    double r = medians.get("resident");
                    summary.add(String.format(Locale.ROOT, "- %s n=%d: a resident round %.2f µs against the engine's %.2f µs (%.1fx); "
                            + "target <= 10 µs per resident round: %s", model, n, r, medians.get("engine"), medians.get("engine") / r,
                            r <= 10 ? "met" : "NOT met"));
                }
            }
        }
        if (!summary.isEmpty()) System.out.println();
        summary.forEach(System.out::println);
    }

    /**
     * Queries per second of whole {@code jacobi} runs whose rounds hold about {@code size} queries:
     * window W = min(window, n) and M = size / W samples, so a round asks up to M * W queries (fewer as
     * samples finish). Queries/s = the run's queries / its wall (set-up included). The CPU is not run
     * where its predicted time (from the model's previous size) exceeds {@code cpuCap}.
     */
    private static void residentThroughput(List<Lane> gpus, CpuBackend cpu, double[] sizes, int window, double cpuCap) {
        Map<String, ConditionalOracle> models = new LinkedHashMap<>();
        for (String m : List.of("product:q=4", "markov:q=2,stay=0.9", "potts:q=8,stay=0.7", "parity:constraints=32")) {
            models.put(m + " n=1024", ModelSpec.parse(m).autoregressive(1024));
        }
        models.put("table n=6 q=3", Zoo.table(6, 3, 7));
        models.put("curie-weiss:beta=1.2 n=1024", ModelSpec.parse("curie-weiss:beta=1.2").autoregressive(1024));
        System.out.println();
        System.out.println("Jacobi with window W and M samples (a round asks up to M * W queries); queries/s = the run's queries / wall, "
                + "median of 3 runs below 1e5 queries a round, else one run; every backend warmed up on the model's first size. "
                + "Resident rounds 0: the model has no resident rounds (the engine path ran on both).");
        System.out.println();
        System.out.println("| model | W | M | rounds | queries | queries/round | resident q/s | engine q/s | cpu q/s (" + cpu.threads()
                + " threads) | resident/cpu | resident/engine | resident rounds | same samples |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        List<String> summary = new ArrayList<>();
        for (Map.Entry<String, ConditionalOracle> e : models.entrySet()) {
            ConditionalOracle o = e.getValue();
            int w = Math.min(window, o.length());
            double cpuRate = 0; // queries/s at the previous size
            boolean warm = false;
            for (double size : sizes) {
                int m = (int) Math.max(1, Math.round(size / w));
                if (past()) {
                    System.out.printf("| %s | %d | %d | not run (deadline) | | | | | | | | | |%n", e.getKey(), w, m);
                    continue;
                }
                Function<Backend, RunResult<?>> run = b -> Autospec.autoregressive(o).strategy(Autospec.jacobi(w)).seed(2025).backend(b).sample(m);
                int reps = size < 1e5 ? 3 : 1;
                List<Lane> lanes = new ArrayList<>(gpus);
                lanes.add(new Lane("cpu", cpu));
                List<String> labels = new ArrayList<>();
                List<RunResult<?>> results = new ArrayList<>();
                Map<String, Double> rate = new LinkedHashMap<>();
                String cpuCell = null;
                long resident = 0;
                for (Lane l : lanes) {
                    RunResult<?> first = results.isEmpty() ? null : results.get(0);
                    if (l.backend() == cpu && first != null && cpuRate > 0 && first.metrics().queries() / cpuRate > cpuCap) {
                        cpuCell = String.format(Locale.ROOT, "skipped (predicted %.0f s)", first.metrics().queries() / cpuRate);
                        continue;
                    }
                    try {
                        if (!warm) run.apply(l.backend());
                        List<Double> secs = new ArrayList<>();
                        Timed t = null;
                        for (int i = 0; i < reps; i++) {
                            t = timed(l.backend(), run);
                            secs.add(t.seconds());
                        }
                        secs.sort(null);
                        rate.put(l.label(), t.result().metrics().queries() / secs.get(secs.size() / 2));
                        if (l.label().equals("resident")) resident = t.residentRounds();
                        labels.add(l.label());
                        results.add(t.result());
                    } catch (RuntimeException ex) {
                        rate.put(l.label(), Double.NaN);
                        System.out.printf("| %s | %d | %d | %s FAILED: %s | | | | | | | | | |%n", e.getKey(), w, m, l.label(), ex);
                    }
                }
                warm = true;
                if (results.isEmpty()) continue;
                if (rate.containsKey("cpu")) cpuRate = rate.get("cpu");
                RunResult<?> r = results.get(0);
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %.3g | %s | %s | %s | %s | %s | %s | %s |%n", e.getKey(), w, m,
                        r.metrics().rounds(), r.metrics().queries(), (double) r.metrics().queries() / r.metrics().rounds(),
                        qps(rate.get("resident")), qps(rate.get("engine")), cpuCell != null ? cpuCell : qps(rate.get("cpu")),
                        ratio(rate.get("resident"), rate.get("cpu")), ratio(rate.get("resident"), rate.get("engine")),
                        gpus.isEmpty() ? "" : resident, same(labels, results, false));
                if (size == sizes[sizes.length - 1] && rate.containsKey("resident") && rate.containsKey("cpu")
                        && !e.getKey().startsWith("table") && !e.getKey().startsWith("curie")) {
                    double x = rate.get("resident") / rate.get("cpu");
                    summary.add(String.format(Locale.ROOT, "- %s, M x W = %d: resident %.1fx the CPU's %d threads; target >= 5x: %s",
                            e.getKey(), m * w, x, cpu.threads(), x >= 5 ? "met" : "NOT met"));
                }
            }
        }
        if (!summary.isEmpty()) System.out.println();
        summary.forEach(System.out::println);
    }

    private static String qps(Double rate) {
        return rate == null ? "" : rate.isNaN() ? "failed" : rate(rate);
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null || a.isNaN() || b.isNaN() ? "" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    // -------------------------------------------------------------------------------------- wall

    /** A backend with the column label it is reported under. */
    private record Lane(String label, Backend backend) {}

    /**
     * Wall time per sample on each of {@code gpus} and on {@code cpu}, cell by cell. A lane after the
     * first is not rerun where the first replayed no resident rounds (resident rounds on and off then
     * take the same path).
     */
    private static void wall(List<Lane> gpus, Backend cpu, List<String> cells, double cpuCap) {
        System.out.println();
        StringBuilder head = new StringBuilder("| model | n / steps | strategy | M | rounds | queries |");
        StringBuilder rule = new StringBuilder("|---|---:|---|---:|---:|---:|");
        for (Lane l : gpus) {
            head.append(' ').append(l.label()).append(" s/sample |");
            rule.append("---:|");
        }
        head.append(" cpu s/sample |");
        rule.append("---:|");
        for (Lane l : gpus) {
            head.append(" cpu/").append(l.label()).append(" |");
            rule.append("---:|");
        }
        System.out.println(head + " resident rounds | same samples |");
        System.out.println(rule + "---:|---|");
        // Warm-up on small models: JIT, module loading and buffer growth are not charged to the first cell.
        List<Backend> all = new ArrayList<>();
        for (Lane l : gpus) all.add(l.backend());
        all.add(cpu);
        for (Backend b : all) {
            for (Strategy s : List.of(Autospec.sequential(), Autospec.jacobi(), Autospec.auto(), Autospec.speculative())) {
                Autospec.autoregressive(MarkovChain.stay(1024, 2, 0.9)).strategy(s).seed(1).backend(b).sample(8);
            }
            for (Strategy s : List.of(Autospec.sequential(), Autospec.auto(), Autospec.speculative())) {
                Autospec.diffusion(IsotropicMixture.randomGmm(4, 4, 1), Schedule.geometric(256, 1e-3)).strategy(s).seed(1).backend(b).sample(8);
            }
        }
        Map<String, Double> ratio = new LinkedHashMap<>(); // model -> last cpu / first lane
        for (String cell : cells) {
            String[] f = cell.split("\\|");
            if (f.length != 4) throw new IllegalArgumentException("a cell is MODEL|N|STRATEGY|M, got " + cell);
            String model = f[0], strategy = f[2];
            int n = Integer.parseInt(f[1]), m = Integer.parseInt(f[3]);
            String blanks = " |".repeat(2 * gpus.size() + 4);
            if (past()) {
                System.out.printf("| %s | %d | %s | %d | not run (deadline) |%s%n", model, n, strategy, m, blanks);
                continue;
            }
            ModelSpec spec = ModelSpec.parse(model);
            Strategy s = strategy(strategy);
            Function<Backend, RunResult<?>> run;
            boolean diffusion = spec.isDiffusion();
            if (diffusion) {
                Denoiser d = spec.denoiser();
                run = b -> Autospec.diffusion(d, Schedule.geometric(n, 1e-3)).strategy(s).seed(2025).backend(b).sample(m);
            } else {
                ConditionalOracle o = spec.autoregressive(n > 0 ? n : null);
                run = b -> Autospec.autoregressive(o).strategy(s).seed(2025).backend(b).sample(m);
            }
            List<String> labels = new ArrayList<>();
            List<RunResult<?>> results = new ArrayList<>();
            List<String> perSample = new ArrayList<>();
            double[] seconds = new double[gpus.size()];
            long residentRounds = 0;
            for (int i = 0; i < gpus.size(); i++) {
                Lane l = gpus.get(i);
                if (i > 0 && residentRounds == 0 && !results.isEmpty()) {
                    perSample.add("as " + gpus.get(0).label() + " (no resident rounds)");
                    continue;
                }
                try {
                    Timed t = timed(l.backend(), run);
                    if (i == 0) residentRounds = t.residentRounds();
                    seconds[i] = t.seconds();
                    labels.add(l.label());
                    results.add(t.result());
                    perSample.add(String.format(Locale.ROOT, "%.4g", t.seconds() / m));
                } catch (RuntimeException e) {
                    perSample.add("FAILED: " + e);
                }
            }
            Double r = ratio.get(model);
            double predicted = gpus.isEmpty() ? 0 : seconds[0] * (r == null ? 1 : r);
            String cs;
            double cpuS = 0;
            if (predicted > cpuCap || past()) {
                cs = String.format(Locale.ROOT, "skipped (predicted %.0f s)", predicted);
            } else {
                Timed c = timed(cpu, run);
                cpuS = c.seconds();
                if (seconds.length > 0 && seconds[0] > 0) ratio.put(model, cpuS / seconds[0]);
                cs = String.format(Locale.ROOT, "%.4g", cpuS / m);
                labels.add("cpu");
                results.add(c.result());
            }
            StringBuilder row = new StringBuilder();
            RunResult<?> first = results.isEmpty() ? null : results.get(0);
            row.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %s |", model, n, strategy, m,
                    first == null ? "" : first.metrics().rounds(), first == null ? "" : first.metrics().queries()));
            for (String p : perSample) row.append(' ').append(p).append(" |");
            row.append(' ').append(cs).append(" |");
            for (double g : seconds) row.append(cpuS > 0 && g > 0 ? String.format(Locale.ROOT, " %.2f |", cpuS / g) : " |");
            row.append(' ').append(gpus.isEmpty() ? "" : residentRounds).append(" | ").append(same(labels, results, diffusion)).append(" |");
            System.out.println(row);
        }
    }

    /** A strategy in the CLI's grammar ({@code jacobi}, {@code token:window=64}, ...); {@code token} alone: adaptive windows. */
    private static Strategy strategy(String name) {
        return name.equals("token") ? Autospec.tokenAdaptive() : io.autospec.spec.Strategies.create(name);
    }

    /**
     * Whether the runs gave the same samples, rounds and queries as the last of them (the CPU when it
     * ran). AR samples must be identical; diffusion's are given as the largest difference.
     */
    private static String same(List<String> labels, List<RunResult<?>> results, boolean diffusion) {
        int last = results.size() - 1;
        if (last < 1) return "";
        RunResult<?> ref = results.get(last);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            RunResult<?> x = results.get(i);
            String v = sameSamples(ref.samples(), x.samples(), diffusion);
            if (x.metrics().rounds() != ref.metrics().rounds() || x.metrics().queries() != ref.metrics().queries()) {
                v += String.format(" (rounds/queries differ: %d/%d vs %d/%d)", x.metrics().rounds(), x.metrics().queries(),
                        ref.metrics().rounds(), ref.metrics().queries());
            }
            parts.add(last == 1 && labels.get(last).equals("cpu") ? v : labels.get(i) + " vs " + labels.get(last) + ": " + v);
        }
        return String.join("; ", parts);
    }

    /** One timed run, with the resident rounds it replayed (0 off the CUDA backend). */
    private record Timed(RunResult<?> result, double seconds, long residentRounds) {}

    private static Timed timed(Backend b, Function<Backend, ? extends RunResult<?>> run) {
        long r0 = residentRounds(b);
        long t = System.nanoTime();
        RunResult<?> r = run.apply(b);
        double s = (System.nanoTime() - t) * 1e-9;
        return new Timed(r, s, residentRounds(b) - r0);
    }

    private static long residentRounds(Backend b) {
        return b instanceof CudaBackend c ? c.stats().residentRounds() : 0;
    }

    private static String sameSamples(List<?> a, List<?> b, boolean diffusion) {
        if (!diffusion) {
            for (int i = 0; i < a.size(); i++) if (!Arrays.equals((int[]) a.get(i), (int[]) b.get(i))) return "NO (sample " + i + ")";
            return "yes";
        }
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            double[] x = (double[]) a.get(i), y = (double[]) b.get(i);
            for (int c = 0; c < x.length; c++) max = Math.max(max, Math.abs(x[c] - y[c]));
        }
        return String.format(Locale.ROOT, "max diff %.1e", max);
    }

    // ----------------------------------------------------------------------------------- helpers

    private static boolean past() {
        return (System.nanoTime() - start) * 1e-9 > deadline;
    }

    private static long free() {
        long[] f = new long[1], t = new long[1];
        JCudaDevice.check(JCudaDriver.cuMemGetInfo(f, t), "cuMemGetInfo");
        return f[0];
    }

    private static String textOption(List<String> args, String name, String def) {
        int i = args.indexOf(name);
        if (i < 0) return def;
        if (i + 1 >= args.size()) throw new IllegalArgumentException(name + " needs a value");
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }

    private static double option(List<String> args, String name, double def) {
        int i = args.indexOf(name);
        if (i < 0) return def;
        double v = Double.parseDouble(args.get(i + 1));
        args.remove(i + 1);
        args.remove(i);
        return v;
    }
}
