package io.autospec.cli;

import com.google.gson.GsonBuilder;
import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.RunSettings;
import io.autospec.ar.ConditionalOracle;
import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import io.autospec.core.RunMetrics;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.Schedule;
import io.autospec.models.ModelSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autospec sample}: draw samples from a model with a strategy and report the rounds. */
@Command(name = "sample",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Draws exact samples from a model and reports rounds, launches, queries and wall time.",
            "",
            "AR models (need --n): product:q=3[,seed=S]  markov:q=2,stay=0.9  potts:q=5,stay=0.6",
            "  curie-weiss:beta=0.8[,h=0]  parity:constraints=C[,seed=S]  table:PATH (CSV: n values, weight)",
            "Diffusion models (use --steps/--delta/--schedule): gmm:PATH | gmm:k=4,d=2[,seed=S]",
            "  atoms:PATH | atoms:k=64,d=2[,seed=S]",
            "  box:d=16[,lo=-1,hi=1]  gaussian:d=4[,mean=0,variance=1]",
            "",
            "Strategies: sequential (one step per round), speculative (the paper's recursion),",
            "  token (AR only: token-level speculative decoding), picard (diffusion only: APPROXIMATE",
            "  sliding-window Picard iteration, tolerance-controlled).",
            ""
        })
public final class SampleCommand implements Callable<Integer> {

    enum StrategyName { sequential, speculative, token, picard }

    enum BackendName { auto, cpu, cuda }

    enum ScheduleName { uniform, geometric }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "The model (see above).")
    String model;

    @Option(names = "--n", paramLabel = "N", description = "Number of positions of an AR model (not needed for table:PATH).")
    Integer n;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "speculative",
            description = "sequential | speculative | token | picard (default: ${DEFAULT-VALUE}).")
    StrategyName strategy;

    @Option(names = "--samples", paramLabel = "M", defaultValue = "1",
            description = "Independent samples, drawn in the same rounds (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed; the same seed gives the same samples on any capacity, thread count or backend (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "auto | cpu | cuda (default: ${DEFAULT-VALUE}: CUDA when present, else CPU).")
    BackendName backend;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0", description = "CPU backend threads (0 = all processors).")
    int threads;

    @Option(names = "--capacity", paramLabel = "C", description = "Most queries per launch; larger rounds are split (default: unlimited).")
    Integer capacity;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the samples, one per line, comma-separated ('-' for stdout).")
    String out;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the run report as JSON ('-' for stdout).")
    String report;

    @Option(names = "--rho", paramLabel = "R", description = "speculative: trial batches grow by (1+R) (default 1: doubling).")
    Double rho;

    @Option(names = "--early-decision", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "speculative: decide a fallback as soon as its lowest accepted trial is known (default: on).")
    boolean earlyDecision;

    @Option(names = "--max-span", paramLabel = "S", description = "speculative: speculate only at spans of at most S steps.")
    Integer maxSpan;

    @Option(names = "--max-trial-steps", paramLabel = "S",
            description = "speculative: memory bound, the most steps one fallback's running trials may cover together (default 4194304).")
    Long maxTrialSteps;

    @Option(names = "--window", paramLabel = "W", description = "token: draft window (default 64); picard: Picard window (default 64).")
    Integer window;

    @Option(names = "--steps", paramLabel = "N", description = "Diffusion: number of schedule steps (default 1024).")
    Integer steps;

    @Option(names = "--delta", paramLabel = "D", description = "Diffusion: final noise level; T = 1/D (default 1e-3).")
    Double delta;

    @Option(names = "--schedule", paramLabel = "NAME", description = "Diffusion: uniform | geometric (default geometric).")
    ScheduleName schedule;

    @Option(names = "--tolerance", paramLabel = "TOL", description = "picard: convergence tolerance per step, relative to the step's noise (default 1e-3).")
    Double tolerance;

    @Option(names = "--progress", negatable = true, description = "Show progress on long runs (default: on).", defaultValue = "true", fallbackValue = "true")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        ModelSpec ms;
        try {
            ms = ModelSpec.parse(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        checkArguments(ms);
        Strategy st = strategy(ms);
        PrintStream err = System.err;

        // Build the model before opening a backend, so bad model files fail fast.
        ConditionalOracle oracle = null;
        Denoiser denoiser = null;
        Schedule sched = null;
        try {
            if (ms.isDiffusion()) {
                denoiser = ms.denoiser();
                int nSteps = steps == null ? 1024 : steps;
                double dl = delta == null ? 1e-3 : delta;
                sched = schedule == ScheduleName.uniform ? Schedule.uniform(nSteps, dl) : Schedule.geometric(nSteps, dl);
            } else {
                oracle = ms.autoregressive(n);
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }

        Map<String, Object> rep = new LinkedHashMap<>();
        RunResult<?> result;
        try (Backend b = Backends.open(backend.name(), threads);
             Progress prog = new Progress(progress, System.console() != null, err)) {
            if (oracle != null) {
                result = configure(Autospec.autoregressive(oracle), st, b, prog).sample(samples);
                rep.put("model", oracle.describe());
                rep.put("n", oracle.length());
                rep.put("q", oracle.alphabet());
            } else {
                result = configure(Autospec.diffusion(denoiser, sched), st, b, prog).sample(samples);
                rep.put("model", denoiser.describe());
                rep.put("d", denoiser.dimension());
                rep.put("steps", sched.steps());
                rep.put("n", sched.steps());
                rep.put("delta", 1.0 / sched.horizon());
                rep.put("schedule", sched.name());
            }
        }
        RunMetrics m = result.metrics();
        Map<String, Object> full = Reports.report(st, result, seed, rep);
        if (out != null) Reports.writeAtomically(out, w -> writeSamples(w, result.samples()));
        if (report != null) {
            String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create().toJson(full);
            Reports.writeAtomically(report, w -> w.write(json + System.lineSeparator()));
        } else {
            System.out.print(Reports.human(full, m));
        }
        err.println("autospec: " + st.name() + (st.exact() ? "" : " (APPROXIMATE)") + ": " + m.summary());
        return 0;
    }

    private <S extends RunSettings<S>> S configure(S run, Strategy st, Backend b, Progress prog) {
        run.strategy(st).seed(seed).backend(b).listener(prog);
        if (capacity != null) run.capacity(capacity);
        return run;
    }

    private static void writeSamples(BufferedWriter w, List<?> xs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Object x : xs) {
            sb.setLength(0);
            if (x instanceof int[] v) {
                for (int i = 0; i < v.length; i++) {
                    if (i > 0) sb.append(',');
                    sb.append(v[i]);
                }
            } else {
                double[] v = (double[]) x;
                for (int i = 0; i < v.length; i++) {
                    if (i > 0) sb.append(',');
                    sb.append(v[i]);
                }
            }
            sb.append('\n');
            w.write(sb.toString());
        }
    }

    private void checkArguments(ModelSpec ms) {
        List<String> problems = new ArrayList<>();
        if (samples < 1) problems.add("--samples must be >= 1, got " + samples);
        if (threads < 0) problems.add("--threads must be >= 0, got " + threads);
        if (capacity != null && capacity < 1) problems.add("--capacity must be >= 1, got " + capacity);
        if (n != null && n < 1) problems.add("--n must be >= 1, got " + n);
        if (rho != null && !(rho > 0 && Double.isFinite(rho))) problems.add("--rho must be a positive number, got " + rho);
        if (maxSpan != null && maxSpan < 1) problems.add("--max-span must be >= 1, got " + maxSpan);
        if (window != null && window < 1) problems.add("--window must be >= 1, got " + window);
        if (steps != null && steps < 1) problems.add("--steps must be >= 1, got " + steps);
        if (delta != null && !(delta > 0 && Double.isFinite(1 / delta))) problems.add("--delta must be a positive number, got " + delta);
        if (tolerance != null && !(tolerance >= 0 && Double.isFinite(tolerance))) problems.add("--tolerance must be a number >= 0, got " + tolerance);
        boolean spec = strategy == StrategyName.speculative;
        if (maxTrialSteps != null && maxTrialSteps < 1) problems.add("--max-trial-steps must be >= 1, got " + maxTrialSteps);
        if (!spec && (rho != null || maxSpan != null || maxTrialSteps != null || isSet("--early-decision"))) {
            problems.add("--rho, --max-span, --max-trial-steps and --[no-]early-decision apply to --strategy speculative only");
        }
        if (window != null && strategy != StrategyName.token && strategy != StrategyName.picard) {
            problems.add("--window applies to --strategy token or picard only");
        }
        if (tolerance != null && strategy != StrategyName.picard) problems.add("--tolerance applies to --strategy picard only");
        if (ms.isDiffusion()) {
            if (strategy == StrategyName.token) problems.add("--strategy token applies to AR models only; " + ms.kind() + " is a diffusion model");
            if (n != null) problems.add("--n applies to AR models; use --steps for diffusion");
        } else {
            if (strategy == StrategyName.picard) problems.add("--strategy picard applies to diffusion models only; " + ms.kind() + " is an AR model");
            if (steps != null || delta != null || schedule != null) problems.add("--steps, --delta and --schedule apply to diffusion models only");
            if (n == null && !ms.fixesLength()) problems.add("--model " + model + " needs --n");
        }
        if (out != null && !out.equals("-")) checkWritable("--out", out, problems);
        if (report != null && !report.equals("-")) checkWritable("--report", report, problems);
        if (!problems.isEmpty()) throw usage(String.join("; ", problems));
    }

    private boolean isSet(String option) {
        if (given != null) return given.test(option);
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        return pr != null && pr.hasMatchedOption(option);
    }

    private static void checkWritable(String option, String file, List<String> problems) {
        Path p = Path.of(file).toAbsolutePath();
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) problems.add(option + " " + file + ": directory " + dir + " does not exist");
        else if (!Files.isWritable(dir)) problems.add(option + " " + file + ": directory " + dir + " is not writable");
        else if (Files.isDirectory(p)) problems.add(option + " " + file + " is a directory");
    }

    private Strategy strategy(ModelSpec ms) {
        switch (strategy) {
            case sequential:
                return Autospec.sequential();
            case speculative: {
                SpeculativeSampler s = Autospec.speculative().earlyDecision(earlyDecision);
                if (rho != null) s = s.rho(rho);
                if (maxSpan != null) s = s.maxSpeculationSpan(maxSpan);
                if (maxTrialSteps != null) s = s.maxConcurrentTrialSteps(maxTrialSteps);
                return s;
            }
            case token:
                return Autospec.token(window == null ? 64 : window);
            case picard:
                return Autospec.picard(window == null ? 64 : window, tolerance == null ? 1e-3 : tolerance);
            default:
                throw new IllegalStateException();
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    // ---- For front ends that run `sample` elsewhere (the Spark module): its options, checked, as data. ----

    /** Whether an option was given, for a front end that parsed these options into its own command. */
    private java.util.function.Predicate<String> given;

    /**
     * What {@code sample} would run, checked as {@link #call()} checks it (usage errors as
     * {@link CommandLine.ParameterException}); the strategy as a {@code StrategySpec} text, the diffusion
     * schedule with its defaults filled in.
     */
    public record Plan(String model, Integer n, String strategy, int samples, long seed, String backend, int threads,
                       Integer capacity, int steps, double delta, String schedule) implements java.io.Serializable {}

    /** The plan of these options; {@code given} tells which options the front end's command line named. */
    public Plan plan(java.util.function.Predicate<String> given) {
        this.given = given;
        ModelSpec ms;
        try {
            ms = ModelSpec.parse(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        checkArguments(ms);
        List<String> kv = new ArrayList<>();
        switch (strategy) {
            case speculative -> {
                if (rho != null) kv.add("rho=" + rho);
                if (!earlyDecision) kv.add("early=false");
                if (maxSpan != null) kv.add("max-span=" + maxSpan);
                if (maxTrialSteps != null) kv.add("trial-steps=" + maxTrialSteps);
            }
            case token, picard -> {
                if (window != null) kv.add("window=" + window);
                if (tolerance != null) kv.add("tol=" + tolerance);
            }
            default -> { }
        }
        String st = strategy.name() + (kv.isEmpty() ? "" : ":" + String.join(",", kv));
        return new Plan(model, n, st, samples, seed, backend.name(), threads, capacity, steps == null ? 1024 : steps,
                delta == null ? 1e-3 : delta, schedule == null ? ScheduleName.geometric.name() : schedule.name());
    }
}
