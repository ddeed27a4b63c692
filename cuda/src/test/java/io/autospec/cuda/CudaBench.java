package io.autospec.cuda;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.backend.Backend;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.Schedule;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU backend vs CUDA backend on the zoo with the same seed: wall time, rounds, launches, and whether
 * the samples agree (AR: identical; diffusion: max |difference|). Prints a Markdown table with the
 * machine, date and command. Run by the GPU bundle's run-gpu-bench.sh:
 * {@code run-gpu-bench.sh [--n 1024] [--samples 64] [--threads 0] [--steps 256]} ({@code --emulate}: run
 * the CUDA side on the host emulator, to check this program without a GPU; timings then mean nothing).
 */
public final class CudaBench {
    private CudaBench() {}

    public static void main(String[] args) {
        int n = arg(args, "--n", 1024), samples = arg(args, "--samples", 64), threads = arg(args, "--threads", 0);
        int steps = arg(args, "--steps", 256);
        boolean emulate = Arrays.asList(args).contains("--emulate"); // a dry run of this program without a GPU
        CudaProbe.Result probe = CudaProbe.probe();
        if (!probe.available() && !emulate) {
            System.err.println("CUDA is not available: " + probe.reason());
            System.exit(2);
        }
        int cpuThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        System.out.println("# autospec CUDA benchmark");
        System.out.println();
        System.out.println("- date: " + ZonedDateTime.now());
        System.out.println("- command: run-gpu-bench.sh " + String.join(" ", args));
        System.out.println("- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + "; CPU backend threads: " + cpuThreads);
        CudaBackend.Options options = CudaBackend.Options.defaults().withCpuThreads(cpuThreads);
        try (CpuBackend cpu = new CpuBackend(cpuThreads);
             CudaBackend gpu = emulate ? new CudaBackend(new EmulatedDevice(HostBuild.emulator().executable(), 1L << 31), options)
                                       : CudaBackend.open(options)) {
            System.out.println("- device: " + gpu.describe());
            System.out.println("- n = " + n + ", samples = " + samples + ", diffusion steps = " + steps);
            System.out.println();
            System.out.println("| model | strategy | rounds | launches (cpu / cuda) | queries | cpu s | cuda s | cpu/cuda | same samples |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
            Map<String, ConditionalOracle> models = new LinkedHashMap<>();
            models.put("markov q=2 stay=0.9", MarkovChain.stay(n, 2, 0.9));
            models.put("potts q=8 stay=0.7", MarkovChain.stay(n, 8, 0.7));
            models.put("curie-weiss beta=1.2", new CurieWeiss(n, 1.2, 0.0));
            models.put("parity C=32", ParityOracle.random(n, 32, 1));
            models.put("product q=4", ProductOracle.random(n, 4, 1));
            Map<String, Strategy> strategies = new LinkedHashMap<>();
            strategies.put("sequential", Autospec.sequential());
            strategies.put("speculative", Autospec.speculative());
            strategies.put("token w=64", Autospec.token(64));
            for (Map.Entry<String, ConditionalOracle> m : models.entrySet()) {
                for (Map.Entry<String, Strategy> s : strategies.entrySet()) {
                    Function<Backend, RunResult<int[]>> run = b -> Autospec.autoregressive(m.getValue()).strategy(s.getValue())
                            .seed(2025).backend(b).sample(samples);
                    row(m.getKey(), s.getKey(), cpu, gpu, run, (x, y) -> {
                        for (int i = 0; i < x.size(); i++) if (!Arrays.equals(x.get(i), y.get(i))) return "NO (sample " + i + ")";
                        return "yes";
                    });
                }
            }
            int d = 16;
            Map<String, Denoiser> dens = new LinkedHashMap<>();
            dens.put("mixture d=16 K=64", BackendContract.mixture(d, 64, false, 3));
            dens.put("atoms d=16 K=1024", BackendContract.mixture(d, 1024, true, 4));
            double[] lo = new double[d], hi = new double[d];
            Arrays.fill(lo, -1);
            Arrays.fill(hi, 1);
            dens.put("box d=16", new TestDenoisers.Box(lo, hi));
            Map<String, Strategy> dStrategies = new LinkedHashMap<>();
            dStrategies.put("sequential", Autospec.sequential());
            dStrategies.put("speculative", Autospec.speculative());
            for (Map.Entry<String, Denoiser> e : dens.entrySet()) {
                for (Map.Entry<String, Strategy> s : dStrategies.entrySet()) {
                    Function<Backend, RunResult<double[]>> run = b -> Autospec.diffusion(e.getValue(), Schedule.geometric(steps, 1e-3))
                            .strategy(s.getValue()).seed(2025).backend(b).sample(samples);
                    row(e.getKey(), s.getKey(), cpu, gpu, run, (x, y) -> {
                        double max = 0;
                        for (int i = 0; i < x.size(); i++) {
                            for (int c = 0; c < x.get(i).length; c++) max = Math.max(max, Math.abs(x.get(i)[c] - y.get(i)[c]));
                        }
                        return String.format("max diff %.1e", max);
                    });
                }
            }
            System.out.println();
            System.out.println("CUDA backend: " + gpu.stats());
        }
    }

    private interface Compare<T> {
        String of(List<T> a, List<T> b);
    }

    private static <T> void row(String model, String strategy, Backend cpu, CudaBackend gpu,
                                Function<Backend, RunResult<T>> run, Compare<T> compare) {
        run.apply(gpu); // warm-up: uploads, buffer growth, JIT
        long launches0 = gpu.stats().launches();
        long t0 = System.nanoTime();
        RunResult<T> g = run.apply(gpu);
        double gs = (System.nanoTime() - t0) * 1e-9;
        long deviceLaunches = gpu.stats().launches() - launches0;
        t0 = System.nanoTime();
        RunResult<T> c = run.apply(cpu);
        double cs = (System.nanoTime() - t0) * 1e-9;
        System.out.printf("| %s | %s | %d | %d / %d | %d | %.3f | %.3f | %.2f | %s |%n", model, strategy, c.metrics().rounds(),
                c.metrics().launches(), deviceLaunches, c.metrics().queries(), cs, gs, cs / gs, compare.of(c.samples(), g.samples()));
    }

    private static int arg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return def;
    }
}
