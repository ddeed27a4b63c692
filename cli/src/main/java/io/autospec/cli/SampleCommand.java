package io.autospec.cli;

import com.google.gson.GsonBuilder;
import io.autospec.Autospec;
import io.autospec.MemoryEstimate;
import io.autospec.RunResult;
import io.autospec.RunSettings;
import io.autospec.ar.ConditionalOracle;
import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import io.autospec.spec.SpecText;
import io.autospec.spec.Strategies;
import io.autospec.spec.StrategyProvider;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.Schedule;
import io.autospec.models.ModelMemory;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
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
        modelTransformer = RegistryHelp.class,
        sortOptions = false,
        description = {
            "Draws exact samples from a model and reports rounds, launches, queries and wall time.",
            "",
            RegistryHelp.MODELS,
            "",
            RegistryHelp.STRATEGIES,
            "  --coupling auto|gumbel|inverse-cdf (AR: sequential, jacobi, auto) chooses how a step's random numbers",
            "  become its value (default auto: inverse-cdf at q = 2, gumbel at q >= 3; the choice changes the",
            "  samples of a seed, not their law).",
            "",
            "Heavy-tailed batches: with --samples M the samples share rounds, so a run",
            "  takes the MAXIMUM of the M samples' rounds. Speculative rounds are",
            "  heavy-tailed: with many samples it can need more rounds than sequential",
            "  (n for AR, --steps for diffusion); a note says so after such a run.",
            "",
            "Infilling (AR models): --given POS=VALUE[,POS=VALUE...] pins positions; a text model (e.g.",
            "  onnx:onnx/models/text.onnx) also takes a pattern, --given \"_____ kitchen today.\": character i pins",
            "  position i, '_' and the positions past the end of the pattern are free. Every strategy samples the",
            "  free positions from the model's law given the pins. --format text writes each sample as its text.",
            "",
            "Outputs: a regular file or new path is written to a temporary file that is",
            "  renamed into place; '-', devices, FIFOs and /dev/fd/N are written directly;",
            "  symbolic links are followed. All are checked before the run. With --out -",
            "  and no --report, the readable report goes to stderr.",
            "Exit codes: 0 done, 1 the run failed, 2 bad arguments (nothing was run).",
            ""
        })
public final class SampleCommand extends SampleOptions implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the samples, one per line, comma-separated ('-' for stdout).")
    String out;

    /** Infilling and text output (see Infill). */
    enum FormatName { csv, text }

    @Option(names = "--given", paramLabel = "PINS",
            description = "AR models: pin positions, POS=VALUE[,POS=VALUE...]; text models also a pattern ('_' free, the rest past its end free).")
    String givenSpec;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "csv",
            description = "--out format: csv (values, comma-separated; the default) | text (text models: each sample as its string).")
    FormatName format;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the run report as JSON ('-' for stdout).")
    String report;

    /** --out and --report, resolved and checked before the run. */
    private OutputTarget outTarget, reportTarget, pictureTarget;
    @Option(names = "--picture", paramLabel = "FILE.png",
            description = "Draw samples as a PNG: ust:grid=WxH the first tree on the grid, aztec:order=M the first tiling, "
                    + "a DPP built from points (dpp:points=FILE, dpp:random-points,n=N) its points faint and each sample's bold, one panel a sample, "
                    + "image-shaped AR models (n a square, e.g. the 8x8 digits) a grid of all samples, "
                    + "image-shaped diffusion models (d a square, e.g. the 8x8 digits denoiser) a grid of grey levels, -1 white to 1 black.")
    String picture;

    @Option(names = "--progress", negatable = true, description = "Show progress on long runs (default: on).", defaultValue = "true", fallbackValue = "true")
    boolean progress;

    /** The strategy's name. */
    private String strategyName() {
        return strategySpec.name();
    }

    @Override
    public Integer call() throws Exception {
        ModelSpec ms;
        try {
            ms = ModelSpec.parse(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        checkArguments(ms);
        long heap = Runtime.getRuntime().maxMemory();
        Strategy st = strategy(ms, heap);
        PrintStream err = System.err;
        ModelMemory before = ms.memory(n, null);
        if (ms.width() > 0 && (n != null || ms.isDiffusion())) {
            checkMemory(ms, ms.isDiffusion() ? (steps == null ? 1024 : steps) : n, ms.width(), before, st, heap);
        }

        // Models whose construction alone (dense N x N kernels) would not fit: refused before they are built.
        String tooLarge = before.buildRefusal(heap);
        if (tooLarge != null && !Boolean.getBoolean("autospec.skipMemoryCheck")) throw usage(tooLarge);

        // Build the model before opening a backend, so bad model files fail fast.
        ConditionalOracle oracle = null;
        Denoiser denoiser = null;
        Schedule sched = null;
        try {
            if (ms.isDiffusion()) {
                denoiser = ms.denoiser(new ModelProvider.Context(cpu.threads, backend.name()));
                int nSteps = steps == null ? 1024 : steps;
                double dl = delta == null ? 1e-3 : delta;
                sched = schedule == ScheduleName.uniform ? Schedule.uniform(nSteps, dl) : Schedule.geometric(nSteps, dl);
            } else {
                oracle = ms.autoregressive(n, new ModelProvider.Context(cpu.threads, backend.name()));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        // --given samples the free positions (a smaller AR model); --format text needs a vocabulary.
        io.autospec.ar.Conditioned pinned = null;
        io.autospec.ar.Vocabulary vocabulary = oracle == null ? null : Infill.vocabulary(oracle);
        try {
            if (format == FormatName.text && vocabulary == null) {
                throw new IllegalArgumentException("--format text needs a text model (an ONNX model with a vocabulary, e.g. onnx/models/text.onnx); "
                        + (oracle == null ? ms.kind() + " is a diffusion model" : oracle.describe() + " has none"));
            }
            if (givenSpec != null) pinned = Infill.pin(oracle, givenSpec);
        } catch (IllegalArgumentException e) {
            closeModel(oracle);
            throw usage(e.getMessage());
        }
        ConditionalOracle fullModel = oracle;
        if (pinned != null) oracle = pinned;

        Object builtModel = fullModel != null ? fullModel : denoiser;
        ModelMemory memory = ms.memory(n, builtModel);
        if (ms.width() == 0 || !memory.equals(ModelMemory.NONE)) { // sizes came from a file, or the built model's own: check now
            try {
                if (oracle != null) checkMemory(ms, oracle.length(), oracle.alphabet(), memory, st, heap);
                else checkMemory(ms, sched.steps(), denoiser.dimension(), memory, st, heap);
            } catch (RuntimeException e) {
                closeModel(fullModel);
                closeModel(denoiser);
                throw e;
            }
        }

        if (picture != null && Pictures.refusal(ms) != null) {
            closeModel(oracle);
            closeModel(denoiser);
            throw usage(Pictures.refusal(ms));
        }
        if (picture != null && !Pictures.supports(ms) && (oracle == null || ImagePicture.side(oracle.length()) == 0)
                && (denoiser == null || ImagePicture.side(denoiser.dimension()) == 0)) {
            closeModel(oracle);
            closeModel(denoiser);
            throw usage("--picture draws ust:grid=WxH trees, aztec:order=M tilings, DPPs built from points and image-shaped AR samples (n a square, e.g. 64 = 8x8) or diffusion samples (d a square); "
                    + ms + " is none of these");
        }
        // An oracle that evaluates whole launches itself (a network) needs no engine backend beyond the caller's thread.
        String engineBackend = (oracle != null && oracle.wholeLaunch()) || (denoiser != null && denoiser.wholeLaunch())
                ? "cpu" : backend.name();
        ConditionalOracle built = oracle;
        Denoiser builtDenoiser = denoiser;
        Map<String, Object> rep = new LinkedHashMap<>();
        RunResult<?> result;
        Strategy ran; // what drew the samples, as the strategy says (auto on a diffusion model is exact Picard)
        try (AutoCloseable closeOracle = () -> closeModel(built);
             AutoCloseable closeDenoiser = () -> closeModel(builtDenoiser);
             Backend b = Backends.open(engineBackend, engineBackend.equals(backend.name()) ? cpu.threads : 1);
             Progress prog = new Progress(progress, System.console() != null, err)) {
            rep.putAll(ms.provider().report(ms.args(), builtModel));
            if (oracle != null) {
                io.autospec.ArRun run = configure(Autospec.autoregressive(oracle), st, b, prog);
                ran = run.drawingStrategy();
                result = run.sample(samples);
                rep.put("model", oracle.describe());
                rep.put("n", oracle.length());
                rep.put("q", oracle.alphabet());
                if (pinned != null) rep.put("pinned", fullModel.length() - oracle.length()); // n counts the free positions
            } else {
                io.autospec.DiffusionRun run = configure(Autospec.diffusion(denoiser, sched), st, b, prog);
                ran = run.drawingStrategy();
                result = run.sample(samples);
                rep.put("model", denoiser.describe());
                rep.put("d", denoiser.dimension());
                rep.put("steps", sched.steps());
                rep.put("n", sched.steps());
                rep.put("delta", 1.0 / sched.horizon());
                rep.put("schedule", sched.name());
            }
        }
        RunMetrics m = result.metrics();
        Map<String, Object> full = Reports.report(ran, result, seed, rep, commandLine());
        List<?> samplesOut = Infill.complete(pinned, result.samples());
        io.autospec.ar.Vocabulary vocab = vocabulary;
        // All outputs commit together: partial files first, then what is written in place, then the renames.
        try (OutputTarget.Outputs outputs = new OutputTarget.Outputs()) {
            if (outTarget != null) outputs.add(outTarget, w -> {
                if (format == FormatName.text) Infill.writeText(w, vocab, samplesOut);
                else writeSamples(w, samplesOut);
            });
            if (pictureTarget != null) outputs.addBytes(pictureTarget, picture(ms, fullModel, denoiser, samplesOut));
            if (reportTarget != null) {
                String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create().toJson(full);
                outputs.add(reportTarget, w -> w.write(json + System.lineSeparator()));
            } else {
                // Samples on stdout stay machine-readable: the table goes to stderr then.
                PrintStream table = outTarget != null && outTarget.isStdout() ? err : System.out;
                outputs.addDirect(() -> {
                    table.print(Reports.human(full, m));
                    if (System.out.checkError()) {
                        throw new java.io.UncheckedIOException("cannot write the report to standard output (closed, full or a broken pipe)",
                                new IOException("standard output"));
                    }
                });
            }
            outputs.commit();
        }
        err.println("autospec: " + st.name() + (st.exact() ? "" : " (APPROXIMATE)") + ": " + m.summary());
        int sequentialRounds = oracle != null ? oracle.length() : sched.steps();
        if (strategyName().equals("speculative") && m.rounds() > sequentialRounds) {
            err.println("autospec: note: " + m.rounds() + " rounds, more than the " + sequentialRounds + " of sequential: with --samples "
                    + samples + " a run takes the most rounds any sample needs, and speculative rounds are heavy-tailed"
                    + " (fewer samples per run, or --strategy sequential, bound them)");
        }
        return 0;
    }

    /** --picture: dispatches on the model (a grid tree or a tiling; else image-shaped AR samples); the PNG is encoded in memory. */
    private static OutputTarget.Bytes picture(ModelSpec ms, ConditionalOracle oracle, Denoiser denoiser, List<?> samples) throws IOException {
        BufferedImage img;
        if (denoiser != null) { // grey levels in [-1, 1] (the digits denoiser's scale): -1 white, 1 black
            List<double[]> xs = new ArrayList<>();
            for (Object x : samples) xs.add((double[]) x);
            img = ImagePicture.renderGrey(xs, denoiser.dimension(), -1, 1);
        } else {
            List<int[]> xs = new ArrayList<>();
            for (Object x : samples) xs.add((int[]) x);
            img = Pictures.supports(ms) ? Pictures.render(ms, xs) : ImagePicture.render(xs, oracle.length(), oracle.alphabet());
        }
        byte[] png = Pictures.png(img); // encoded in memory: a failing target then fails one plain write
        return out -> out.write(png);
    }

    private static void closeModel(Object model) throws Exception {
        if (model instanceof AutoCloseable c) c.close();
    }

    /**
     * Refuses (exit 2, like other settings that cannot work) a run whose estimated memory exceeds
     * the Java heap, naming what to change, before anything is built or run. The estimate is rough:
     * {@code java -Dautospec.skipMemoryCheck=true} runs anyway.
     */
    private void checkMemory(ModelSpec ms, int length, int width, ModelMemory model, Strategy st, long heap) {
        int cap = capacity == null ? Integer.MAX_VALUE : capacity;
        MemoryEstimate e = ms.isDiffusion()
                ? MemoryEstimate.diffusion(length, width, st, samples, cap)
                : MemoryEstimate.autoregressive(length, width, st, samples, cap);
        long kept = model.keptBytes(e.pieceQueries());
        if (kept > 0) e = e.plus(model.kept(), kept, model.lever());
        if (!e.fits(heap) && !Boolean.getBoolean("autospec.skipMemoryCheck")) throw usage(e.advice(heap));
    }

    /**
     * Sample's memory check for a front end that splits the samples (Spark): refuses (exit 2) when
     * {@code atOnce} samples of this plan's model drawn in one Java heap would not fit, before
     * anything starts. Models whose size is known only from their file are checked at their size.
     */
    public void checkMemoryAtOnce(int atOnce) {
        long heap = Runtime.getRuntime().maxMemory();
        ModelSpec ms = ModelSpec.parse(model);
        Strategy st = strategy(ms, heap);
        int all = samples;
        samples = Math.max(1, atOnce);
        try {
            if (ms.width() > 0 && (n != null || ms.isDiffusion())) {
                checkMemory(ms, ms.isDiffusion() ? (steps == null ? 1024 : steps) : n, ms.width(), ms.memory(n, null), st, heap);
            } else if (!ms.isDiffusion()) {
                ConditionalOracle o = ms.autoregressive(n, new ModelProvider.Context(cpu.threads, backend.name()));
                try {
                    checkMemory(ms, o.length(), o.alphabet(), ms.memory(n, o), st, heap);
                } finally {
                    if (o instanceof AutoCloseable c) {
                        try {
                            c.close();
                        } catch (Exception e) {
                            // closing a probe model: nothing to keep
                        }
                    }
                }
            }
        } finally {
            samples = all;
        }
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
        Limits.checkThreads(cpu.threads, problems);
        if (capacity != null && capacity < 1) problems.add("--capacity must be >= 1, got " + capacity);
        if (n != null && n < 1) problems.add("--n must be >= 1, got " + n);
        if (rho != null && !(rho > 0 && Double.isFinite(rho))) problems.add("--rho must be a positive number, got " + rho);
        if (maxSpan != null && maxSpan < 1) problems.add("--max-span must be >= 1, got " + maxSpan);
        if (window != null && window < 1) problems.add("--window must be >= 1, got " + window);
        if (steps != null && steps < 1) problems.add("--steps must be >= 1, got " + steps);
        if (delta != null && !(delta > 0 && Double.isFinite(1 / delta))) problems.add("--delta must be a positive number, got " + delta);
        if (tolerance != null && !(tolerance >= 0 && Double.isFinite(tolerance))) problems.add("--tolerance must be a number >= 0, got " + tolerance);
        if (maxTrialSteps != null && maxTrialSteps < 1) problems.add("--max-trial-steps must be >= 1, got " + maxTrialSteps);
        // An alias option applies to the strategies whose provider declares its setting.
        StrategyProvider provider = Strategies.provider(strategySpec);
        List<String> inapplicable = new ArrayList<>();
        String key = null;
        for (Object[] a : new Object[][] {{"--rho", "rho", rho != null}, {"--max-span", "max-span", maxSpan != null},
                {"--max-trial-steps", "trial-steps", maxTrialSteps != null}, {"--[no-]early-decision", "early", isSet("--early-decision")},
                {"--window", "window", window != null}, {"--tolerance", "tol", tolerance != null}, {"--coupling", "coupling", coupling != null}}) {
            if ((Boolean) a[2] && !provider.keys().contains((String) a[1])) {
                if (key != null && !Strategies.withSetting(key).equals(Strategies.withSetting((String) a[1]))) {
                    problems.add(appliesOnly(inapplicable, key));
                    inapplicable.clear();
                }
                inapplicable.add((String) a[0]);
                key = (String) a[1];
            }
        }
        if (!inapplicable.isEmpty()) problems.add(appliesOnly(inapplicable, key));
        if ((coupling != null || strategySpec.params().containsKey("coupling")) && ms.isDiffusion()) {
            problems.add("--coupling applies to AR models only; " + ms.kind() + " is a diffusion model");
        }
        if (ms.isDiffusion() && givenSpec != null) problems.add("--given applies to AR models only; " + ms.kind() + " is a diffusion model");
        if (format == FormatName.text && out == null) problems.add("--format text formats --out; give --out FILE (or --out - for stdout)");
        if (ms.isDiffusion()) {
            if (!provider.appliesToDiffusion()) {
                problems.add("--strategy " + strategyName() + " applies to AR models only; " + ms.kind() + " is a diffusion model ("
                        + String.join(", ", Strategies.applicable(true)) + " sample diffusion models)");
            }
            if (n != null) problems.add("--n applies to AR models; use --steps for diffusion");
        } else {
            if (!provider.appliesToAr()) {
                problems.add("--strategy " + strategyName() + " applies to diffusion models only; " + ms.kind() + " is an AR model");
            }
            if (steps != null || delta != null || schedule != null) problems.add("--steps, --delta and --schedule apply to diffusion models only");
            if (n == null && !ms.fixesLength()) problems.add("--model " + model + " needs --n");
        }
        outTarget = target("--out", out, problems);
        reportTarget = target("--report", report, problems);
        pictureTarget = target("--picture", picture, problems);
        // All outputs together: none writes another's file, and none writes a file the model reads.
        List<OutputTarget> targets = new ArrayList<>();
        targets.add(outTarget);
        targets.add(reportTarget);
        targets.add(pictureTarget);
        OutputTarget.checkDistinct(targets, problems);
        OutputTarget.checkNotInputs(targets, model, problems);
        if (!problems.isEmpty()) throw usage(String.join("; ", problems));
    }

    private static OutputTarget target(String option, String file, List<String> problems) {
        if (file == null) return null;
        try {
            return OutputTarget.of(option, file);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** The command line as given, for the report. */
    private List<String> commandLine() {
        List<String> cl = new ArrayList<>();
        cl.add("autospec");
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        if (pr != null) cl.addAll(pr.originalArgs()); // the whole command line, subcommand included
        return cl;
    }

    private boolean isSet(String option) {
        if (given != null) return given.test(option);
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        return pr != null && pr.hasMatchedOption(option);
    }

    private Strategy strategy(ModelSpec ms, long heap) {
        Map<String, String> settings = settings();
        // Samples do not depend on the trial budget, so by default it follows the heap.
        if (Strategies.provider(strategySpec).keys().contains("trial-steps") && !settings.containsKey("trial-steps")) {
            settings.put("trial-steps", Long.toString(MemoryEstimate.trialBudgetFor(heap, Math.max(2, ms.width()))));
        }
        try {
            SpecText merged = new SpecText(strategySpec.text(), "strategy", strategyName(), settings);
            return Strategies.provider(merged).create(merged);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * The strategy's settings: those of {@code --strategy NAME:key=value,...}, then those of the alias
     * options ({@code --rho}, {@code --window}, ...), which must not repeat a setting.
     */
    private Map<String, String> settings() {
        Map<String, String> kv = new LinkedHashMap<>(strategySpec.params());
        List<String> keys = Strategies.provider(strategySpec).keys(); // checkArguments refused aliases of other settings
        if (keys.contains("rho")) alias(kv, "rho", rho, "--rho");
        if (keys.contains("early") && !earlyDecision) alias(kv, "early", "false", "--no-early-decision");
        if (keys.contains("max-span")) alias(kv, "max-span", maxSpan, "--max-span");
        if (keys.contains("trial-steps")) alias(kv, "trial-steps", maxTrialSteps, "--max-trial-steps");
        if (keys.contains("window")) alias(kv, "window", window, "--window");
        if (keys.contains("tol")) alias(kv, "tol", tolerance, "--tolerance");
        if (keys.contains("coupling")) alias(kv, "coupling", coupling, "--coupling");
        return kv;
    }

    private void alias(Map<String, String> kv, String key, Object value, String option) {
        if (value == null) return;
        if (kv.containsKey(key)) throw usage(option + " repeats the setting " + key + "= of --strategy " + strategySpec.text());
        kv.put(key, String.valueOf(value));
    }

    /** "--a and --b apply to --strategy x or y only", the strategies from the registry. */
    private static String appliesOnly(List<String> options, String key) {
        String opts = options.size() == 1 ? options.get(0)
                : String.join(", ", options.subList(0, options.size() - 1)) + " and " + options.get(options.size() - 1);
        List<String> names = Strategies.withSetting(key);
        String those = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return opts + (options.size() == 1 ? " applies" : " apply") + " to --strategy " + those + " only";
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
        if (givenSpec != null || format == FormatName.text) throw usage("--given and --format text are not supported by this front end");
        Map<String, String> kv = settings();
        String st = new SpecText(strategySpec.text(), "strategy", strategyName(), kv).canonical();
        return new Plan(model, n, st, samples, seed, backend.name(), cpu.threads, capacity, steps == null ? 1024 : steps,
                delta == null ? 1e-3 : delta, schedule == null ? ScheduleName.geometric.name() : schedule.name());
    }
}
