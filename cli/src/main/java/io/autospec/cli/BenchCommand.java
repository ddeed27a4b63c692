package io.autospec.cli;

import io.autospec.bench.StrategySpec;
import io.autospec.bench.Sweep;
import io.autospec.models.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autospec bench}: the benchmark sweep (rounds, queries, wall time; CSV, Markdown, PNG). */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        modelTransformer = RegistryHelp.class,
        sortOptions = false,
        description = {
            "Sweeps n (AR) or the number of steps (diffusion) for every model x strategy x backend over several "
                + "seeds, one sample per run, and writes runs.csv, summary.csv, slopes.csv, summary.md and PNG plots "
                + "(rounds vs n on log-log axes with fitted slopes; queries/(n log2 n); wall time per sample).",
            "",
            RegistryHelp.MODELS,
            "",
            RegistryHelp.STRATEGIES,
            ""
        })
final class BenchCommand implements Callable<Integer> {
    static final List<String> DEFAULT_MODELS = List.of(
            "markov:q=2,stay=0.75", "markov:q=2,stay=0.9", "potts:q=5,stay=0.6", "curie-weiss:beta=0.5",
            "curie-weiss:beta=1.0", "parity:constraints=16");
    static final List<String> DEFAULT_STRATEGIES = List.of(
            "sequential", "speculative", "speculative:max-span=64", "token:window=64", "picard:window=64,tol=1e-3", "jacobi",
            "picard:window=256,tol=0", "auto");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "SPEC", description = "A model (repeatable; default: the standard sweep set).")
    List<String> models = new ArrayList<>();

    @Option(names = "--strategy", paramLabel = "SPEC",
            description = "A strategy, NAME[:key=value,...], e.g. speculative:rho=0.1,early=false,max-span=64, token:window=64, picard:window=64,tol=1e-3 (repeatable).")
    List<String> strategies = new ArrayList<>();

    @Option(names = "--n-min", defaultValue = "64", description = "Smallest AR n (powers of two from here; default ${DEFAULT-VALUE}).")
    int nMin;

    @Option(names = "--n-max", defaultValue = "65536", description = "Largest AR n (default ${DEFAULT-VALUE}).")
    int nMax;

    @Option(names = "--steps-min", defaultValue = "64", description = "Smallest diffusion step count (default ${DEFAULT-VALUE}).")
    int stepsMin;

    @Option(names = "--steps-max", defaultValue = "16384", description = "Largest diffusion step count (default ${DEFAULT-VALUE}).")
    int stepsMax;

    @Option(names = "--delta", defaultValue = "1e-3", description = "Diffusion: final noise level, T = 1/delta (default ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--schedule", defaultValue = "geometric", description = "Diffusion: uniform | geometric (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = {"--runs", "--seeds"}, defaultValue = "5",
            description = "Runs per point, with seeds 1..R (--seeds: the old name; sample's --seed S is one seed) (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--samples", defaultValue = "1", description = "Samples per run (default ${DEFAULT-VALUE}: rounds are per sample).")
    int samples;

    @Option(names = "--backend", paramLabel = "NAME", description = "cpu | cuda | auto (repeatable; default: cpu).")
    List<String> backends = new ArrayList<>();

    @CommandLine.Mixin
    ThreadsOption cpu = new ThreadsOption();

    @Option(names = "--max-run-seconds", defaultValue = "120",
            description = "Stop growing n for a model x strategy once one run takes longer (default ${DEFAULT-VALUE}).")
    double maxRunSeconds;

    @Option(names = "--seeds-max-n", paramLabel = "N",
            description = "Run all --seeds only for n (or steps) <= N, one seed beyond (default: all seeds everywhere).")
    Integer seedsMaxN;

    @Option(names = "--kill-run-seconds", paramLabel = "S",
            description = "Abandon a run still going after S seconds (checked after each round) and stop growing n for "
                    + "that model x strategy (default: never).")
    Double killRunSeconds;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Output directory (default: a new directory ./autospec-bench-YYYYMMDD-HHMMSS, named in the output).")
    Path outDir;

    @Option(names = "--quick", description = "A small end-to-end sweep for CI (n and steps 64..256, 2 seeds, few models;"
            + " --n-min, --n-max, --steps-min, --steps-max, --seeds and --max-run-seconds given with it win).")
    boolean quick;

    @Option(names = "--force", description = "Write into a non-empty --out-dir, replacing the files of an earlier sweep there.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        boolean strategiesGiven = !strategies.isEmpty();
        if (quick) {
            if (models.isEmpty()) models = new ArrayList<>(List.of("markov:q=2,stay=0.9", "curie-weiss:beta=0.5", "gaussian:d=2"));
            if (strategies.isEmpty()) strategies = new ArrayList<>(List.of("sequential", "speculative", "token:window=16", "picard:window=16,tol=1e-2"));
            // The quick sizes, unless the command line names its own (they were ignored silently before).
            if (!given("--n-min")) nMin = 64;
            if (!given("--n-max")) nMax = 256;
            if (!given("--steps-min")) stepsMin = 64;
            if (!given("--steps-max")) stepsMax = 256;
            if (!given("--seeds")) seeds = Math.min(seeds, 2);
            if (!given("--max-run-seconds")) maxRunSeconds = Math.min(maxRunSeconds, 20);
        }
        if (models.isEmpty()) models = new ArrayList<>(DEFAULT_MODELS);
        if (strategies.isEmpty()) strategies = new ArrayList<>(DEFAULT_STRATEGIES);
        if (backends.isEmpty()) backends = new ArrayList<>(List.of("cpu"));
        List<String> problems = new ArrayList<>();
        if (nMin < 2 || nMax < nMin) problems.add("need 2 <= --n-min <= --n-max, got " + nMin + ", " + nMax);
        if (stepsMin < 1 || stepsMax < stepsMin) problems.add("need 1 <= --steps-min <= --steps-max, got " + stepsMin + ", " + stepsMax);
        if (seeds < 1) problems.add("--seeds must be >= 1, got " + seeds);
        if (samples < 1) problems.add("--samples must be >= 1, got " + samples);
        if (!(delta > 0)) problems.add("--delta must be positive, got " + delta);
        if (!schedule.equals("uniform") && !schedule.equals("geometric")) problems.add("--schedule must be uniform or geometric, got " + schedule);
        if (!(maxRunSeconds > 0)) problems.add("--max-run-seconds must be positive");
        if (seedsMaxN != null && seedsMaxN < 1) problems.add("--seeds-max-n must be >= 1, got " + seedsMaxN);
        if (killRunSeconds != null && !(killRunSeconds > 0)) problems.add("--kill-run-seconds must be positive, got " + killRunSeconds);
        Limits.checkThreads(cpu.threads, problems);
        for (String b : backends) if (!List.of("cpu", "cuda", "auto").contains(b)) problems.add("unknown backend '" + b + "' (cpu, cuda or auto)");
        List<ModelSpec> ms = new ArrayList<>();
        List<StrategySpec> ss = new ArrayList<>();
        try {
            for (String m : models) ms.add(ModelSpec.parse(m));
            for (String s : strategies) ss.add(StrategySpec.parse(s));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (problems.isEmpty()) checkCombinations(ms, ss, strategiesGiven, problems);
        if (problems.isEmpty()) checkModels(ms, problems);
        if (problems.isEmpty()) outDir = outputDirectory(problems);
        if (!problems.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        Sweep.Config config = new Sweep.Config(ms, ss, powersOfTwo(nMin, nMax), powersOfTwo(stepsMin, stepsMax), delta, schedule,
                seeds, samples, backends, cpu.threads, maxRunSeconds, outDir, seedsMaxN == null ? Integer.MAX_VALUE : seedsMaxN,
                killRunSeconds == null ? Double.POSITIVE_INFINITY : killRunSeconds);
        Sweep.Result r = new Sweep(config).run(System.err);
        System.err.println("bench: " + r.runs().size() + " runs; wrote " + r.files().size() + " files to " + outDir.toAbsolutePath());
        System.out.print(java.nio.file.Files.readString(outDir.resolve("summary.md")));
        return 0;
    }

    /**
     * Mixed sweeps skip the pairs that do not apply (token on diffusion, picard on AR), but a model
     * that no strategy applies to, or a strategy given on the command line that applies to no model,
     * is a mistake: it would silently produce no runs.
     */
    private static void checkCombinations(List<ModelSpec> ms, List<StrategySpec> ss, boolean strategiesGiven, List<String> problems) {
        for (ModelSpec m : ms) {
            if (ss.stream().noneMatch(s -> s.appliesTo(m.isDiffusion()))) {
                problems.add("no --strategy applies to --model " + m + " (" + kind(m.isDiffusion()) + " model); given: "
                        + String.join(", ", ss.stream().map(StrategySpec::label).toList()));
            }
        }
        for (StrategySpec s : strategiesGiven ? ss : List.<StrategySpec>of()) {
            if (ms.stream().noneMatch(m -> s.appliesTo(m.isDiffusion()))) {
                problems.add("--strategy " + s.label() + " applies to " + kind(!s.appliesTo(false)) + " models only, and no --model is one");
            }
        }
    }

    /**
     * Builds every model at every size of the sweep before anything runs or the output directory is
     * made: a bad parameter or model file, or a size the model cannot take (an ONNX network fixed at
     * n = 64 asked for 128), is a usage error (exit 2) naming it, as in {@code sample}, not a failed
     * sweep half-way through. A model that fixes its length is swept at that length only. A size
     * whose model does not fit in memory is left to the sweep, which records it as refused.
     */
    private void checkModels(List<ModelSpec> ms, List<String> problems) {
        long heap = Runtime.getRuntime().maxMemory();
        List<Integer> sizes = powersOfTwo(nMin, nMax);
        for (ModelSpec m : ms) {
            String tooLarge = m.memory(null, null).buildRefusal(heap);
            if (tooLarge != null && !Boolean.getBoolean("autospec.skipMemoryCheck")) {
                problems.add(tooLarge);
                continue;
            }
            List<Integer> ns = m.isDiffusion() || m.fixesLength() ? java.util.Collections.singletonList(null) : sizes;
            for (Integer n : ns) {
                try {
                    if (m.isDiffusion()) {
                        m.denoiser();
                    } else {
                        io.autospec.ar.ConditionalOracle o = m.autoregressive(n);
                        if (o instanceof AutoCloseable c) c.close();
                    }
                } catch (IllegalArgumentException e) {
                    problems.add((n == null ? "" : "at n = " + n + " (--n-min " + nMin + " to --n-max " + nMax + "): ") + e.getMessage());
                    break;
                } catch (OutOfMemoryError e) {
                    break; // the sweep refuses this size by its memory estimate, or stops there
                } catch (Exception e) {
                    problems.add("--model " + m + ": " + Exits.message(e));
                    break;
                }
            }
        }
    }

    private boolean given(String option) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        return pr != null && pr.hasMatchedOption(option);
    }

    private static String kind(boolean diffusion) {
        return diffusion ? "diffusion" : "AR";
    }

    /** The given --out-dir, created now (so a bad one fails before the sweep), or a new dated directory. */
    private Path outputDirectory(List<String> problems) {
        Path dir = outDir;
        if (dir == null) {
            String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = Path.of("autospec-bench-" + stamp);
            for (int i = 2; java.nio.file.Files.exists(dir); i++) dir = Path.of("autospec-bench-" + stamp + "-" + i);
        }
        if (dir.toString().isEmpty()) {
            problems.add("--out-dir: the directory name is empty (give a directory, or leave --out-dir out for a new dated one)");
            return dir;
        }
        if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
            problems.add("--out-dir " + dir + " exists and is not a directory");
            return dir;
        }
        if (java.nio.file.Files.isDirectory(dir) && !force) {
            try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(dir)) {
                java.util.Optional<Path> first = entries.findFirst();
                if (first.isPresent()) {
                    problems.add("--out-dir " + dir + " is not empty (it holds " + first.get().getFileName()
                            + "): a sweep would overwrite its files; give a new or empty directory, or --force");
                    return dir;
                }
            } catch (java.io.IOException e) {
                problems.add("--out-dir " + dir + ": cannot read it: " + OutputTarget.reason(e));
                return dir;
            }
        }
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.delete(java.nio.file.Files.createTempFile(dir, ".autospec-probe-", ".tmp"));
        } catch (java.io.IOException e) {
            problems.add("--out-dir " + dir + ": cannot write there: " + OutputTarget.reason(e));
        }
        return dir;
    }

    static List<Integer> powersOfTwo(int lo, int hi) {
        List<Integer> out = new ArrayList<>();
        long v = Integer.highestOneBit(Math.max(1, lo));
        if (v < lo) v <<= 1;
        for (; v <= hi; v <<= 1) out.add((int) v);
        if (out.isEmpty()) out.add(lo);
        return out;
    }
}
