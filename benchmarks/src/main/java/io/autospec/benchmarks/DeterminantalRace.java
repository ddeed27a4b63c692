package io.autospec.benchmarks;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.DeterminantalOracle;
import io.autospec.ar.models.det.DominoShuffling;
import io.autospec.ar.models.det.ExactAnchor;
import io.autospec.ar.models.det.LEnsemble;
import io.autospec.ar.models.det.SpanningTrees;
import io.autospec.ar.models.det.SpectralDppSampler;
import io.autospec.ar.models.det.WilsonSampler;
import io.autospec.backend.CpuBackend;
import io.autospec.bench.Plots;
import io.autospec.bench.StrategySpec;
import io.autospec.bench.Sweep;
import io.autospec.cli.Pictures;
import java.io.IOException;
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
 * The determinantal race: for each family (ust:grid, aztec, dpp:random) and size, every strategy's
 * rounds, queries and wall time per sample (one sample per run, several seeds) next to the wall time
 * per sample of the family's classical exact anchor (Wilson, domino shuffling, spectral), plus the
 * time to build the kernel. Writes runs.csv, summary.md (tables and fitted log-log slopes of rounds
 * and queries vs N) and the sweep's PNG plots, and with {@code --pictures} the three showcase PNGs
 * (a 64 x 64 grid spanning tree, an order-64 tiling and four samples of dpp:random-points,n=400,
 * drawn by the anchors). Strategies: sequential, speculative, token w=64, jacobi and auto.
 *
 * <pre>java -Xmx6g -cp benchmarks/target/benchmarks.jar io.autospec.benchmarks.DeterminantalRace OUT_DIR [quick] [--pictures]</pre>
 */
public final class DeterminantalRace {
    private DeterminantalRace() {}

    record Size(String family, String spec, int n, java.util.function.Supplier<Object> model) {}

    record Row(String family, String spec, int n, String strategy, int runs, double rounds, double queries, double wall,
               double wallSd, double kernelSeconds) {}

    static final String[] STRATEGIES = {"sequential", "speculative", "token:window=64", "jacobi", "auto"};

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: DeterminantalRace OUT_DIR [quick] [--pictures]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        boolean quick = List.of(args).contains("quick");
        Files.createDirectories(out);
        if (List.of(args).contains("--pictures")) {
            Pictures.write(Pictures.spanningTree(SpanningTrees.grid(64, 64), new WilsonSampler(SpanningTrees.grid(64, 64)).sample(1, 0)), out.resolve("ust-grid-64x64.png"));
            AztecDiamond a = new AztecDiamond(64);
            Pictures.write(Pictures.tiling(a, new DominoShuffling(a).sample(1, 0)), out.resolve("aztec-order-64.png"));
            // dpp:random-points,n=400 (seed 1, default bandwidth 1/20): four samples of the spectral sampler
            LEnsemble pts = LEnsemble.gaussian(LEnsemble.randomPoints(400, 1), LEnsemble.defaultBandwidth(LEnsemble.randomPoints(400, 1)),
                    "random-points, seed=1");
            SpectralDppSampler spectral = new SpectralDppSampler(pts);
            List<int[]> xs = new ArrayList<>();
            for (int s = 0; s < 4; s++) xs.add(spectral.sample(1, s));
            Pictures.write(Pictures.points(pts.points(), xs), out.resolve("dpp-points-400.png"));
            System.out.println("pictures written to " + out);
            return;
        }
        List<Size> sizes = new ArrayList<>();
        int[] grids = quick ? new int[] {4, 8} : new int[] {4, 8, 16, 32};
        for (int g : grids) sizes.add(new Size("ust:grid", "ust:grid=" + g + "x" + g, 2 * g * (g - 1), () -> SpanningTrees.grid(g, g)));
        int[] orders = quick ? new int[] {4, 8} : new int[] {4, 8, 16, 32};
        for (int m : orders) sizes.add(new Size("aztec", "aztec:order=" + m, 4 * m * m, () -> new AztecDiamond(m)));
        int[] ns = quick ? new int[] {100, 200} : new int[] {250, 500, 1000, 2000};
        for (int n : ns) sizes.add(new Size("dpp:random", "dpp:random,n=" + n + ",rank=" + n / 20, n, () -> LEnsemble.random(n, n / 20, 1)));

        List<Row> rows = new ArrayList<>();
        List<Sweep.Summary> summaries = new ArrayList<>();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("runs.csv"), StandardCharsets.UTF_8))) {
            csv.println("family,model,n,strategy,seed,rounds,queries,wallSeconds,kernelSeconds");
            for (Size size : sizes) {
                long t0 = System.nanoTime();
                Object model = size.model().get();
                DeterminantalOracle oracle = oracle(model);
                double kernelSeconds = (System.nanoTime() - t0) / 1e9;
                int seeds = size.n() >= 4000 ? 1 : size.n() >= 1500 ? 2 : 3;
                for (String st : STRATEGIES) {
                    StrategySpec spec = StrategySpec.parse(st);
                    double[] rounds = new double[seeds], queries = new double[seeds], wall = new double[seeds];
                    for (int s = 0; s < seeds; s++) {
                        RunResult<int[]> r;
                        try (CpuBackend backend = new CpuBackend(2)) {
                            r = Autospec.autoregressive(oracle).strategy(spec.strategy()).backend(backend).seed(1000 + s).sample(1);
                        }
                        rounds[s] = r.metrics().rounds();
                        queries[s] = r.metrics().queries();
                        wall[s] = r.metrics().wallSeconds();
                        csv.printf(Locale.ROOT, "%s,\"%s\",%d,%s,%d,%d,%d,%.4f,%.4f%n", size.family(), size.spec(), size.n(), st, 1000 + s,
                                r.metrics().rounds(), r.metrics().queries(), r.metrics().wallSeconds(), kernelSeconds);
                        csv.flush();
                        System.out.printf(Locale.ROOT, "%-36s %-18s seed %d: %6d rounds %9d queries %8.3f s%n", size.spec(), st, 1000 + s,
                                r.metrics().rounds(), r.metrics().queries(), r.metrics().wallSeconds());
                    }
                    rows.add(new Row(size.family(), size.spec(), size.n(), st, seeds, mean(rounds), mean(queries), mean(wall), sd(wall), kernelSeconds));
                    summaries.add(new Sweep.Summary(size.family(), st, "cpu", size.n(), seeds, mean(rounds), sd(rounds), mean(queries), sd(queries),
                            mean(wall), sd(wall), Double.NaN));
                }
                ExactAnchor anchor = anchor(model);
                anchor.sample(7, 0); // warm-up
                int count = 0;
                long a0 = System.nanoTime();
                while (count < 5 || (System.nanoTime() - a0 < 1e9 && count < 10_000)) anchor.sample(7, ++count);
                double perSample = (System.nanoTime() - a0) / 1e9 / count;
                rows.add(new Row(size.family(), size.spec(), size.n(), "anchor:" + anchor.describe(), count, Double.NaN, Double.NaN, perSample, Double.NaN,
                        0));
                csv.printf(Locale.ROOT, "%s,\"%s\",%d,anchor:%s,7,,,%.6f,%n", size.family(), size.spec(), size.n(), anchor.describe(), perSample);
                System.out.printf(Locale.ROOT, "%-36s anchor %-12s %.6f s per sample (%d samples); kernel built in %.2f s%n", size.spec(),
                        anchor.describe(), perSample, count, kernelSeconds);
            }
        }
        List<Sweep.Slope> slopes = Sweep.slopes(summaries, Map.of());
        writeMarkdown(out.resolve("summary.md"), rows, slopes);
        Plots.write(out, summaries, slopes, Set.of());
    }

    static DeterminantalOracle oracle(Object model) {
        if (model instanceof SpanningTrees g) return g.oracle();
        if (model instanceof AztecDiamond a) return a.oracle();
        return ((LEnsemble) model).oracle();
    }

    static ExactAnchor anchor(Object model) {
        if (model instanceof SpanningTrees g) return new WilsonSampler(g);
        if (model instanceof AztecDiamond a) return new DominoShuffling(a);
        return new SpectralDppSampler((LEnsemble) model);
    }

    static void writeMarkdown(Path file, List<Row> rows, List<Sweep.Slope> slopes) throws IOException {
        Map<String, Double> anchorWall = new LinkedHashMap<>();
        for (Row r : rows) if (r.strategy().startsWith("anchor:")) anchorWall.put(r.spec(), r.wall());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("| model | N | strategy | runs | rounds | queries | wall s/sample | x anchor | kernel build s |");
            w.println("|---|---:|---|---:|---:|---:|---:|---:|---:|");
            for (Row r : rows) {
                boolean anchor = r.strategy().startsWith("anchor:");
                double ratio = r.wall() / anchorWall.getOrDefault(r.spec(), Double.NaN);
                w.printf(Locale.ROOT, "| %s | %d | %s | %d | %s | %s | %s | %s | %s |%n", r.spec(), r.n(), r.strategy(), r.runs(),
                        anchor ? "-" : String.format(Locale.ROOT, "%.0f", r.rounds()), anchor ? "-" : String.format(Locale.ROOT, "%.0f", r.queries()),
                        String.format(Locale.ROOT, anchor ? "%.2g" : "%.3f", r.wall()), anchor ? "1" : String.format(Locale.ROOT, "%.0f", ratio),
                        anchor ? "-" : String.format(Locale.ROOT, "%.2f", r.kernelSeconds()));
            }
            w.println();
            w.println("| family | strategy | rounds slope | queries slope | N range |");
            w.println("|---|---|---:|---:|---|");
            for (Sweep.Slope s : slopes) {
                w.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %d..%d |%n", s.model(), s.strategy(), s.roundsSlope(), s.queriesSlope(), s.nMin(), s.nMax());
            }
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double sd(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
