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
 *     fixes it), with "same samples" for AR and the largest difference for diffusion.</li>
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
        CUdevice dev = null;
        if (!emulate) {
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
        long free0 = emulate ? 0 : free();
        System.out.printf(Locale.ROOT, "- %s: %s, java %s, CPU backend threads %d%n", mode, ZonedDateTime.now(),
                System.getProperty("java.version"), threads);
        CudaBackend.Options options = CudaBackend.Options.defaults().withCpuThreads(threads);
        try (CpuBackend cpu = new CpuBackend(threads);
             CudaBackend gpu = emulate ? new CudaBackend(new EmulatedDevice(HostBuild.emulator().executable(), 1L << 31), options)
                                       : CudaBackend.open(options)) {
            System.out.println("- device: " + gpu.describe());
            System.out.printf(Locale.ROOT, "- device memory free before the backend: %d MiB%n", free0 >> 20);
            switch (mode) {
                case "overhead" -> overhead(cpu, gpu);
                case "throughput" -> throughput(cpu, gpu, cpuCap, rest.isEmpty() ? "" : rest.get(0));
                case "wall" -> wall(cpu, gpu, rest, cpuCap);
                default -> throw new IllegalArgumentException("mode " + mode);
            }
            System.out.println();
            System.out.println("- CUDA backend: " + gpu.stats());
        }
        if (emulate) return;
        long free1 = free();
        System.out.printf(Locale.ROOT, "- device memory free after the backend closed: %d MiB (%+d bytes vs before)%n",
                free1 >> 20, free1 - free0);
        JCudaDriver.cuDevicePrimaryCtxRelease(dev);
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

    // -------------------------------------------------------------------------------------- wall

    private static void wall(CpuBackend cpu, CudaBackend gpu, List<String> cells, double cpuCap) {
        System.out.println();
        System.out.println("| model | n / steps | strategy | M | rounds | queries | gpu s/sample | cpu s/sample | cpu/gpu | same samples |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---|");
        // Warm-up on small models: JIT, module loading and buffer growth are not charged to the first cell.
        for (Backend b : List.of(gpu, cpu)) {
            for (Strategy s : List.of(Autospec.sequential(), Autospec.auto(), Autospec.speculative())) {
                Autospec.autoregressive(MarkovChain.stay(1024, 2, 0.9)).strategy(s).seed(1).backend(b).sample(8);
                Autospec.diffusion(IsotropicMixture.randomGmm(4, 4, 1), Schedule.geometric(256, 1e-3)).strategy(s).seed(1).backend(b).sample(8);
            }
        }
        Map<String, Double> ratio = new LinkedHashMap<>(); // model -> last cpu/gpu
        for (String cell : cells) {
            String[] f = cell.split("\\|");
            if (f.length != 4) throw new IllegalArgumentException("a cell is MODEL|N|STRATEGY|M, got " + cell);
            String model = f[0], strategy = f[2];
            int n = Integer.parseInt(f[1]), m = Integer.parseInt(f[3]);
            if (past()) {
                System.out.printf("| %s | %d | %s | %d | not run (deadline) | | | | | |%n", model, n, strategy, m);
                continue;
            }
            ModelSpec spec = ModelSpec.parse(model);
            Strategy s = switch (strategy) {
                case "sequential" -> Autospec.sequential();
                case "speculative" -> Autospec.speculative();
                case "auto" -> Autospec.auto();
                case "token" -> Autospec.tokenAdaptive();
                case "jacobi" -> Autospec.jacobi();
                default -> throw new IllegalArgumentException(strategy);
            };
            Function<Backend, RunResult<?>> run;
            boolean diffusion = spec.isDiffusion();
            if (diffusion) {
                Denoiser d = spec.denoiser();
                run = b -> Autospec.diffusion(d, Schedule.geometric(n, 1e-3)).strategy(s).seed(2025).backend(b).sample(m);
            } else {
                ConditionalOracle o = spec.autoregressive(n > 0 ? n : null);
                run = b -> Autospec.autoregressive(o).strategy(s).seed(2025).backend(b).sample(m);
            }
            long t = System.nanoTime();
            RunResult<?> g;
            try {
                g = run.apply(gpu);
            } catch (RuntimeException e) {
                System.out.printf("| %s | %d | %s | %d | GPU FAILED: %s | | | | | |%n", model, n, strategy, m, e);
                continue;
            }
            double gs = (System.nanoTime() - t) * 1e-9;
            Double r = ratio.get(model);
            double predicted = gs * (r == null ? 1 : r);
            String cs = "", cr = "", same = "";
            if (predicted > cpuCap || past()) {
                cs = String.format(Locale.ROOT, "skipped (predicted %.0f s)", predicted);
            } else {
                t = System.nanoTime();
                RunResult<?> c = run.apply(cpu);
                double cpuS = (System.nanoTime() - t) * 1e-9;
                ratio.put(model, cpuS / gs);
                cs = String.format(Locale.ROOT, "%.4g", cpuS / m);
                cr = String.format(Locale.ROOT, "%.2f", cpuS / gs);
                same = sameSamples(c.samples(), g.samples(), diffusion);
                if (c.metrics().rounds() != g.metrics().rounds() || c.metrics().queries() != g.metrics().queries()) {
                    same += String.format(" (rounds/queries differ: cpu %d/%d)", c.metrics().rounds(), c.metrics().queries());
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %.4g | %s | %s | %s |%n", model, n, strategy, m,
                    g.metrics().rounds(), g.metrics().queries(), gs / m, cs, cr, same);
        }
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

    private static double option(List<String> args, String name, double def) {
        int i = args.indexOf(name);
        if (i < 0) return def;
        double v = Double.parseDouble(args.get(i + 1));
        args.remove(i + 1);
        args.remove(i);
        return v;
    }
}
