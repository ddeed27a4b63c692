package io.autospec.bench;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalOracle;
import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.Schedule;
import io.autospec.models.ModelSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark harness: sweeps n (AR) or the number of steps N (diffusion) for every model x
 * strategy x backend, several seeds, one sample per run (so rounds are per sample), and writes
 * {@code runs.csv} (one row per run), {@code summary.csv}, {@code slopes.csv}, {@code summary.md}
 * and PNG plots. Runs that exceed a wall-time limit stop the sweep of that model x strategy at that
 * size, and the summary says so. A run still going after {@code killRunSeconds} is abandoned (its
 * round listener throws), a run whose estimated memory exceeds the heap is refused before it
 * starts, and both stop that model x strategy too; every stop and its reason goes to {@code stops.csv}.
 */
public final class Sweep {

    /** What to sweep. */
    public record Config(List<ModelSpec> models, List<StrategySpec> strategies, List<Integer> sizes,
                         List<Integer> steps, double delta, String schedule, int seeds, int samplesPerRun,
                         List<String> backends, int threads, double maxRunSeconds, Path outDir,
                         int seedsMaxN, double killRunSeconds) {
        /** The earlier configuration: all seeds at every size, no run abandoned. */
        public Config(List<ModelSpec> models, List<StrategySpec> strategies, List<Integer> sizes, List<Integer> steps,
                      double delta, String schedule, int seeds, int samplesPerRun, List<String> backends, int threads,
                      double maxRunSeconds, Path outDir) {
            this(models, strategies, sizes, steps, delta, schedule, seeds, samplesPerRun, backends, threads, maxRunSeconds,
                    outDir, Integer.MAX_VALUE, Double.POSITIVE_INFINITY);
        }

        /** Seeds run at size n: all of them up to {@code seedsMaxN}, one beyond. */
        public int seedsAt(int n) {
            return n <= seedsMaxN ? seeds : 1;
        }
    }

    /** Why a model x strategy x backend stopped growing n (one row of {@code stops.csv}). */
    public record Stop(String model, String strategy, String backend, int n, String kind, String note) {}

    /** Thrown by the round listener of a run that has gone on past {@code killRunSeconds}. */
    static final class RunKilled extends RuntimeException {
        final long rounds;

        RunKilled(long rounds) {
            super("run abandoned", null, false, false);
            this.rounds = rounds;
        }
    }

    /** Thrown instead of starting a run whose estimated memory exceeds the heap; the message is the advice. */
    static final class RunRefused extends RuntimeException {
        RunRefused(String advice) {
            super(advice, null, false, false);
        }
    }

    /** One run. {@code error}: Picard's RMS distance to the sequential path on the same noise (else NaN). */
    public record Run(String model, String strategy, String backend, int n, long seed, int samples, long rounds,
                      long launches, long queries, double wallSeconds, double error) {}

    /** Mean and spread over seeds for one model x strategy x backend x n. */
    public record Summary(String model, String strategy, String backend, int n, int runs, double roundsMean,
                          double roundsSd, double queriesMean, double queriesSd, double wallMean, double wallSd,
                          double errorMean) {
        /** Queries per sample over n log2 n. */
        public double queriesPerNLogN() {
            return n <= 1 ? Double.NaN : queriesMean / (n * Math.log(n) / Math.log(2));
        }
    }

    /** Least-squares slope of log(rounds) and log(queries) against log(n). */
    public record Slope(String model, String strategy, String backend, double roundsSlope, double queriesSlope,
                        int points, int nMin, int nMax, String note) {}

    /** Everything the sweep produced. */
    public record Result(List<Run> runs, List<Summary> summaries, List<Slope> slopes, List<Path> files, List<Stop> stops) {}

    private final Config config;

    public Sweep(Config config) {
        this.config = config;
    }

    public Result run(PrintStream log) throws IOException {
        Files.createDirectories(config.outDir());
        List<Run> runs = new ArrayList<>();
        Map<String, String> caps = new LinkedHashMap<>();
        List<Stop> stops = new ArrayList<>();
        Path runsCsv = config.outDir().resolve("runs.csv");
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(runsCsv, StandardCharsets.UTF_8))) {
            csv.println("model,strategy,backend,n,seed,samples,rounds,launches,queries,wallSeconds,error");
            for (String backendName : config.backends()) {
                try (Backend backend = Backends.open(backendName, config.threads())) {
                    for (ModelSpec model : config.models()) {
                        for (StrategySpec st : config.strategies()) {
                            if (!st.appliesTo(model.isDiffusion())) continue;
                            sweepOne(model, st, backend, runs, caps, stops, csv, log);
                        }
                    }
                }
            }
        }
        List<Summary> summaries = summarise(runs);
        List<Slope> slopes = slopes(summaries, caps);
        List<Path> files = new ArrayList<>();
        files.add(runsCsv);
        files.add(Tables.writeSummaryCsv(config.outDir().resolve("summary.csv"), summaries));
        files.add(Tables.writeSlopesCsv(config.outDir().resolve("slopes.csv"), slopes));
        files.add(Tables.writeStopsCsv(config.outDir().resolve("stops.csv"), stops));
        files.add(Tables.writeMarkdown(config.outDir().resolve("summary.md"), config, summaries, slopes));
        Set<String> diffusion = new java.util.HashSet<>();
        for (ModelSpec m : config.models()) if (m.isDiffusion()) diffusion.add(m.toString());
        files.addAll(Plots.write(config.outDir(), summaries, slopes, diffusion));
        return new Result(runs, summaries, slopes, files, stops);
    }

    private void sweepOne(ModelSpec model, StrategySpec st, Backend backend, List<Run> runs,
                          Map<String, String> caps, List<Stop> stops, PrintWriter csv, PrintStream log) {
        List<Integer> sizes = sizes(model, config.sizes(), config.steps());
        String key = key(model.toString(), st.label(), backend.name());
        // Warm the JIT on the smallest size so the first timed runs are not compile-bound (at most 64
        // samples: warming needs the code paths, not the batch size).
        String warm = attempt(model, st, backend, sizes.get(0), 0, Math.min(64, config.samplesPerRun()), null);
        if (warm != null) {
            stop(model, st, backend, sizes.get(0), warm, "warm-up run at n=" + sizes.get(0) + " " + warm, caps, stops, log);
            return;
        }
        for (int n : sizes) {
            double worst = 0;
            double roundsSum = 0;
            int seeds = config.seedsAt(n);
            Run[] out = new Run[1];
            for (int s = 1; s <= seeds; s++) {
                String failure = attempt(model, st, backend, n, s, config.samplesPerRun(), out);
                if (failure != null) {
                    stop(model, st, backend, n, failure, "stopped at n=" + n + " (seed " + s + "): " + failure, caps, stops, log);
                    return;
                }
                Run r = out[0];
                runs.add(r);
                csv.printf(Locale.ROOT, "\"%s\",\"%s\",%s,%d,%d,%d,%d,%d,%d,%.6f,%s%n", r.model(), r.strategy(), r.backend(),
                        r.n(), r.seed(), r.samples(), r.rounds(), r.launches(), r.queries(), r.wallSeconds(),
                        Double.isNaN(r.error()) ? "" : String.format(Locale.ROOT, "%.6g", r.error()));
                csv.flush();
                worst = Math.max(worst, r.wallSeconds());
                roundsSum += r.rounds();
            }
            log.printf(Locale.ROOT, "bench: %-28s %-36s %-5s n=%-6d rounds %.1f  (slowest run %.2f s)%n", model, st.label(),
                    backend.name(), n, roundsSum / seeds, worst);
            if (worst > config.maxRunSeconds()) {
                String note = String.format(Locale.ROOT, "stopped after n=%d: a run took %.1f s > %.0f s limit", n, worst, config.maxRunSeconds());
                caps.put(key, note);
                stops.add(new Stop(model.toString(), st.label(), backend.name(), n, "slow", note));
                log.println("bench: " + note);
                break;
            }
        }
    }

    private static void stop(ModelSpec model, StrategySpec st, Backend backend, int n, String failure, String note,
                             Map<String, String> caps, List<Stop> stops, PrintStream log) {
        String kind = failure.startsWith("refused") ? "refused" : failure.startsWith("killed") ? "killed" : "out-of-memory";
        caps.put(key(model.toString(), st.label(), backend.name()), note);
        stops.add(new Stop(model.toString(), st.label(), backend.name(), n, kind, note));
        log.println("bench: " + model + " " + st.label() + ": " + note);
    }

    /**
     * One run; null when it completed (the run in {@code out[0]} when out is given), else why not:
     * "refused: ..." (estimated memory over the heap), "killed after ..." (past killRunSeconds) or
     * "out of memory ...".
     */
    private String attempt(ModelSpec model, StrategySpec st, Backend backend, int n, long seed, int samples, Run[] out) {
        long start = System.nanoTime();
        try {
            Run r = runOnce(model, st, backend, n, seed, samples);
            if (out != null) out[0] = r;
            return null;
        } catch (RunRefused e) {
            return "refused: " + e.getMessage();
        } catch (OutOfMemoryError e) {
            return String.format(Locale.ROOT, "out of memory after %.1f s (Java heap %s)", (System.nanoTime() - start) / 1e9,
                    io.autospec.MemoryEstimate.format(Runtime.getRuntime().maxMemory()));
        } catch (RuntimeException e) {
            RunKilled k = killedCause(e);
            if (k == null) throw e;
            return String.format(Locale.ROOT, "killed after %.1f s > %.4g s (%d rounds done)", (System.nanoTime() - start) / 1e9,
                    config.killRunSeconds(), k.rounds);
        }
    }

    private static RunKilled killedCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof RunKilled k) return k;
        return null;
    }

    /** A round listener that abandons the run once it has gone on past killRunSeconds (null: no limit). */
    private io.autospec.core.RoundListener killer() {
        if (!(config.killRunSeconds() < Double.POSITIVE_INFINITY)) return null;
        long deadline = System.nanoTime() + (long) (config.killRunSeconds() * 1e9);
        return m -> {
            if (System.nanoTime() - deadline > 0) throw new RunKilled(m.rounds());
        };
    }

    private Run runOnce(ModelSpec model, StrategySpec st, Backend backend, int n, long seed, int samples) {
        Strategy strategy = st.strategy();
        RunResult<?> r;
        double error = Double.NaN;
        long heap = Runtime.getRuntime().maxMemory();
        if (model.isDiffusion()) {
            Denoiser den = model.denoiser();
            Schedule sched = schedule(n);
            var run = Autospec.diffusion(den, sched).strategy(strategy).backend(backend).seed(seed);
            var estimate = run.estimateMemory(samples);
            if (!estimate.fits(heap)) throw new RunRefused(estimate.advice(heap));
            r = run.listener(killer()).sample(samples);
            if (!strategy.exact() && st.name().equals("picard")) {
                RunResult<double[]> ref = Autospec.diffusion(den, sched).strategy(Autospec.sequential()).backend(backend)
                        .seed(seed).sample(samples);
                error = rmsDistance(castDoubles(r.samples()), ref.samples());
            }
        } else {
            ConditionalOracle oracle = model.autoregressive(model.fixesLength() ? null : n);
            try {
                var run = Autospec.autoregressive(oracle).strategy(strategy).backend(backend).seed(seed);
                var estimate = run.estimateMemory(samples);
                if (!estimate.fits(heap)) throw new RunRefused(estimate.advice(heap));
                r = run.listener(killer()).sample(samples);
            } finally {
                closeModel(oracle);
            }
        }
        var m = r.metrics();
        return new Run(model.toString(), st.label(), backend.name(), n, seed, m.samples(), m.rounds(), m.launches(), m.queries(),
                m.wallSeconds(), error);
    }

    /**
     * The sizes a model is swept at: the steps of a diffusion model, the sweep's n of an AR model that
     * takes --n, and the one length of a model that fixes it (a table, a tree, an ONNX network).
     */
    public static List<Integer> sizes(ModelSpec model, List<Integer> sizes, List<Integer> steps) {
        if (model.isDiffusion()) return steps;
        if (!model.fixesLength()) return sizes;
        ConditionalOracle o = model.autoregressive(null);
        try {
            return List.of(o.length());
        } finally {
            closeModel(o);
        }
    }

    /** A provider's model (e.g. an ONNX session) owns native resources. */
    private static void closeModel(ConditionalOracle oracle) {
        if (oracle instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + oracle.describe() + ": " + e.getMessage(), e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<double[]> castDoubles(List<?> xs) {
        return (List<double[]>) xs;
    }

    private Schedule schedule(int steps) {
        return config.schedule().equals("uniform") ? Schedule.uniform(steps, config.delta()) : Schedule.geometric(steps, config.delta());
    }

    /** Root-mean-square per-coordinate distance between paired samples. */
    static double rmsDistance(List<double[]> a, List<double[]> b) {
        double s = 0;
        long count = 0;
        for (int i = 0; i < a.size(); i++) {
            double[] x = a.get(i), y = b.get(i);
            for (int c = 0; c < x.length; c++) {
                double d = x[c] - y[c];
                s += d * d;
                count++;
            }
        }
        return Math.sqrt(s / count);
    }

    static String key(String model, String strategy, String backend) {
        return model + "\u0000" + strategy + "\u0000" + backend;
    }

    static List<Summary> summarise(List<Run> runs) {
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run r : runs) groups.computeIfAbsent(key(r.model(), r.strategy(), r.backend()) + "\u0000" + r.n(), k -> new ArrayList<>()).add(r);
        List<Summary> out = new ArrayList<>();
        for (List<Run> g : groups.values()) {
            Run f = g.get(0);
            double[] rounds = g.stream().mapToDouble(Run::rounds).toArray();
            double[] queries = g.stream().mapToDouble(r -> (double) r.queries() / r.samples()).toArray();
            double[] wall = g.stream().mapToDouble(r -> r.wallSeconds() / r.samples()).toArray();
            double err = g.stream().mapToDouble(Run::error).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
            out.add(new Summary(f.model(), f.strategy(), f.backend(), f.n(), g.size(), mean(rounds), sd(rounds),
                    mean(queries), sd(queries), mean(wall), sd(wall), err));
        }
        return out;
    }

    public static List<Slope> slopes(List<Summary> summaries, Map<String, String> caps) {
        Map<String, List<Summary>> groups = new LinkedHashMap<>();
        for (Summary s : summaries) groups.computeIfAbsent(key(s.model(), s.strategy(), s.backend()), k -> new ArrayList<>()).add(s);
        List<Slope> out = new ArrayList<>();
        for (Map.Entry<String, List<Summary>> e : groups.entrySet()) {
            List<Summary> g = e.getValue();
            double[] x = g.stream().mapToDouble(s -> Math.log(s.n())).toArray();
            double[] yr = g.stream().mapToDouble(s -> Math.log(s.roundsMean())).toArray();
            double[] yq = g.stream().mapToDouble(s -> Math.log(s.queriesMean())).toArray();
            Summary f = g.get(0);
            String note = caps.getOrDefault(e.getKey(), "");
            if (g.size() < MIN_SIZES_FOR_SLOPE) {
                note = (note.isEmpty() ? "" : note + "; ") + "no slope fitted from " + g.size() + " size" + (g.size() == 1 ? "" : "s")
                        + " (needs " + MIN_SIZES_FOR_SLOPE + ")";
            }
            out.add(new Slope(f.model(), f.strategy(), f.backend(), fit(x, yr), fit(x, yq), g.size(),
                    g.get(0).n(), g.get(g.size() - 1).n(), note));
        }
        return out;
    }

    /** Two points always fit a line exactly, so a slope from them says nothing about the growth law. */
    static final int MIN_SIZES_FOR_SLOPE = 3;

    /** Least-squares slope of y on x (NaN with fewer than {@link #MIN_SIZES_FOR_SLOPE} points). */
    static double fit(double[] x, double[] y) {
        if (x.length < MIN_SIZES_FOR_SLOPE) return Double.NaN;
        double mx = mean(x), my = mean(y), sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
