package io.autospec.benchmarks;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.DominoShuffling;
import io.autospec.ar.models.det.ExactAnchor;
import io.autospec.ar.models.det.LEnsemble;
import io.autospec.ar.models.det.SpanningTrees;
import io.autospec.ar.models.det.SpectralDppSampler;
import io.autospec.ar.models.det.WilsonSampler;
import io.autospec.backend.CpuBackend;
import io.autospec.bench.StrategySpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The "largest size each strategy completes in 5 minutes per sample" probe of the determinantal
 * families (ust:grid=WxW, aztec:order=M, dpp:random,n=N,rank=N/20), for every exact strategy and the
 * three classical anchors, under a machine-time budget.
 *
 * <p><b>Ladders.</b> Sizes grow by about 2^(1/3) in N (W and M by 2^(1/6), n by 2^(1/3)); one
 * sample per run (seed 1000), each run a fresh JVM killed at the cap (300 s for strategies, 60 s for
 * anchors; the cap counts JVM start and kernel build). A ladder stops at its first run over the cap
 * (or failing, e.g. out of memory). Before a run its time is predicted from a log-log least-squares
 * fit of the ladder's previous runs (in-process seconds: kernel build + sample; slope 3 until two
 * runs of at least 0.2 s exist; for strategies the slope is floored at 3, their Theta(N^3) LU, since
 * small sizes fit 1.6-2 from JIT warm-up and caches); a run predicted over 1.5 x the cap (450 s) is not launched and its
 * prediction is reported instead. Budget: cheap calibration rungs run (skipping any whose successor is
 * predicted under 1.5 s) until one takes 3 s (1 s for anchors); then the ladder jumps to the largest rung predicted to fit both 1.5 x the cap and its share of
 * the remaining budget (remaining / ladders left), and continues rung by rung while the next rung's
 * prediction fits both. Anchors use a coarse ladder doubling N.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.autospec.benchmarks.DeterminantalProbe probe OUT_DIR [budget=SECONDS] [xmx=8g] [only=FAMILY]
 * java -Xmx8g -cp benchmarks/target/benchmarks.jar io.autospec.benchmarks.DeterminantalProbe run FAMILY SIZE STRATEGY
 * </pre>
 * FAMILY is ust (SIZE = W), aztec (SIZE = M) or dpp (SIZE = n); STRATEGY a {@link StrategySpec} or
 * {@code anchor}. The probe writes OUT_DIR/probe.csv (one line per run or skipped rung) and
 * OUT_DIR/probe.md (the table of largest sizes).
 */
public final class DeterminantalProbe {
    private DeterminantalProbe() {}

    static final String[] STRATEGIES = {"sequential", "speculative", "token:window=64", "jacobi", "auto"};
    static final String[] FAMILIES = {"ust", "aztec", "dpp"};

    public static void main(String[] args) throws Exception {
        if (args.length >= 4 && args[0].equals("run")) {
            run(args[1], Integer.parseInt(args[2]), args[3]);
            return;
        }
        if (args.length >= 2 && args[0].equals("probe")) {
            double budget = 3300;
            String xmx = "8g", only = null;
            for (int i = 2; i < args.length; i++) {
                if (args[i].startsWith("budget=")) budget = Double.parseDouble(args[i].substring(7));
                else if (args[i].startsWith("xmx=")) xmx = args[i].substring(4);
                else if (args[i].startsWith("only=")) only = args[i].substring(5);
                else throw new IllegalArgumentException("unknown probe option '" + args[i] + "'");
            }
            probe(Path.of(args[1]), budget, xmx, only);
            return;
        }
        System.err.println("usage: DeterminantalProbe probe OUT_DIR [budget=SECONDS] [xmx=8g] [only=FAMILY]\n"
                + "       DeterminantalProbe run ust|aztec|dpp SIZE STRATEGY|anchor");
        System.exit(2);
    }

    /** Items N of a family at a size. */
    static int items(String family, int size) {
        switch (family) {
            case "ust": return 2 * size * (size - 1);
            case "aztec": return 4 * size * size;
            case "dpp": return size;
            default: throw new IllegalArgumentException("unknown family '" + family + "' (ust, aztec, dpp)");
        }
    }

    static String spec(String family, int size) {
        switch (family) {
            case "ust": return "ust:grid=" + size + "x" + size;
            case "aztec": return "aztec:order=" + size;
            default: return "dpp:random,n=" + size + ",rank=" + Math.max(1, size / 20);
        }
    }

    static Object model(String family, int size) {
        switch (family) {
            case "ust": return SpanningTrees.grid(size, size);
            case "aztec": return new AztecDiamond(size);
            default: return LEnsemble.random(size, Math.max(1, size / 20), 1);
        }
    }

    /** One run in this JVM: prints a RESULT line (rounds, queries, sample s, build s). */
    static void run(String family, int size, String strategy) {
        long t0 = System.nanoTime();
        Object model = model(family, size);
        if (strategy.equals("anchor")) {
            ExactAnchor anchor = DeterminantalRace.anchor(model);
            double build = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            int[] x = anchor.sample(1000, 0);
            double wall = (System.nanoTime() - t1) / 1e9;
            if (x.length != items(family, size)) throw new IllegalStateException("anchor returned " + x.length + " values");
            System.out.printf(Locale.ROOT, "RESULT %s,-,-,%.4f,%.4f%n", anchor.describe(), wall, build);
            return;
        }
        var oracle = DeterminantalRace.oracle(model);
        double build = (System.nanoTime() - t0) / 1e9;
        RunResult<int[]> r;
        try (CpuBackend backend = new CpuBackend(2)) {
            r = Autospec.autoregressive(oracle).strategy(StrategySpec.parse(strategy).strategy()).backend(backend).seed(1000).sample(1);
        }
        System.out.printf(Locale.ROOT, "RESULT %s,%d,%d,%.4f,%.4f%n", strategy, r.metrics().rounds(), r.metrics().queries(), r.metrics().wallSeconds(), build);
    }

    /** A run's outcome. */
    record Point(int size, int n, double seconds) {}

    static final class Budget {
        double left;
        int laddersLeft;

        double share() {
            return laddersLeft <= 0 ? 0 : left / laddersLeft;
        }
    }

    static void probe(Path out, double budget, String xmx, String only) throws IOException, InterruptedException {
        Files.createDirectories(out);
        List<String> families = new ArrayList<>();
        for (String f : FAMILIES) if (only == null || only.equals(f)) families.add(f);
        Budget strategies = new Budget();
        Budget anchors = new Budget();
        anchors.left = Math.min(600, 0.15 * budget);
        strategies.left = budget - anchors.left;
        strategies.laddersLeft = families.size() * STRATEGIES.length;
        anchors.laddersLeft = families.size();
        List<String> table = new ArrayList<>();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("probe.csv"), StandardCharsets.UTF_8))) {
            csv.println("family,model,size,n,strategy,status,rounds,queries,sampleSeconds,buildSeconds,processSeconds,predictedSeconds,note");
            csv.flush();
            for (String family : families) {
                for (String st : STRATEGIES) {
                    table.add(ladder(csv, family, st, strategies, xmx, 300, false));
                }
            }
            for (String family : families) table.add(ladder(csv, family, "anchor", anchors, xmx, 60, true));
        }
        try (PrintWriter md = new PrintWriter(Files.newBufferedWriter(out.resolve("probe.md"), StandardCharsets.UTF_8))) {
            md.println("| family | strategy | largest completed | N | wall s (sample + build) | rounds | queries | next size: time or prediction |");
            md.println("|---|---|---|---:|---:|---:|---:|---|");
            for (String row : table) md.println(row);
        }
        for (String row : table) System.out.println(row);
    }

    static int rung(String family, int k, boolean anchor) {
        if (anchor) {
            switch (family) {
                case "ust": return (int) Math.round(64 * Math.pow(2, k / 2.0));
                case "aztec": return (int) Math.round(32 * Math.pow(2, k / 2.0));
                default: return (int) Math.round(2000 * Math.pow(2, k));
            }
        }
        switch (family) {
            case "ust": return (int) Math.round(12 * Math.pow(2, k / 6.0));
            case "aztec": return (int) Math.round(8 * Math.pow(2, k / 6.0));
            default: return (int) Math.round(250 * Math.pow(2, k / 3.0));
        }
    }

    static boolean valid(String family, int size) {
        switch (family) {
            case "ust": return (long) size * size <= 1 << 20;
            case "aztec": return size <= 4096;
            default: return size <= 1 << 16;
        }
    }

    /**
     * Predicted in-process seconds at N from a log-log fit of the points (slope 3 with fewer than two
     * usable), the slope floored at {@code minSlope}: 3 for the strategies, whose N rows of the LU cost
     * Theta(N^3) even where small sizes (JIT warm-up, caches) fit a smaller slope; 1 for the anchors.
     */
    static double predict(List<Point> pts, int n, double minSlope) {
        List<Point> use = new ArrayList<>();
        for (Point p : pts) if (p.seconds() >= 0.2) use.add(p);
        if (use.size() > 4) use = use.subList(use.size() - 4, use.size());
        if (use.isEmpty()) return pts.isEmpty() ? 0 : pts.get(pts.size() - 1).seconds() * Math.pow((double) n / pts.get(pts.size() - 1).n(), 3);
        if (use.size() == 1) return use.get(0).seconds() * Math.pow((double) n / use.get(0).n(), 3);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Point p : use) {
            double x = Math.log(p.n()), y = Math.log(p.seconds());
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        int m = use.size();
        double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
        if (!Double.isFinite(slope) || slope < minSlope) slope = minSlope;
        double icpt = (sy - slope * sx) / m;
        return Math.exp(icpt + slope * Math.log(n));
    }

    /** One ladder; returns its table row. */
    static String ladder(PrintWriter csv, String family, String strategy, Budget budget, String xmx, int cap, boolean anchor)
            throws IOException, InterruptedException {
        double share = budget.share();
        double spent = 0;
        List<Point> pts = new ArrayList<>();
        String[] best = null; // size, n, seconds, rounds, queries
        String next = "";
        boolean calibrating = true;
        double minSlope = anchor ? 1 : 3; // every strategy computes the N rows of the LU: Theta(N^3)
        int k = 0;
        while (true) {
            int size = rung(family, k, anchor);
            if (!valid(family, size)) {
                next = spec(family, size) + ": beyond the spec's limit, not run";
                break;
            }
            int n = items(family, size);
            double pred = predict(pts, n, minSlope) + 1.0; // + JVM start
            if (calibrating && !pts.isEmpty() && pts.get(pts.size() - 1).seconds() >= (anchor ? 1 : 3)) calibrating = false;
            if (calibrating && !pts.isEmpty()) {
                // calibration: skip a rung whose successor is still predicted under 1.5 s
                int size2 = rung(family, k + 1, anchor);
                if (valid(family, size2) && predict(pts, items(family, size2), minSlope) < 1.5) {
                    k++;
                    continue;
                }
            }
            if (!calibrating) {
                double room = Math.min(1.5 * cap, share - spent);
                if (pred > room) {
                    String why = pred > 1.5 * cap ? "over " + (int) (1.5 * cap) + " s" : "over the ladder's budget share (" + (int) Math.max(0, share - spent) + " s left)";
                    next = String.format(Locale.ROOT, "%s (N = %d): predicted %.0f s, not run (%s)", spec(family, size), n, pred, why);
                    csv.printf(Locale.ROOT, "%s,\"%s\",%d,%d,%s,skipped,,,,,,%.1f,\"%s\"%n", family, spec(family, size), size, n, strategy, pred, why);
                    csv.flush();
                    System.out.println(family + " " + strategy + " " + next);
                    break;
                }
                // jump: skip cheap rungs whose successor is also predicted to fit (keeps the fit's rungs meaningful)
                int size2 = rung(family, k + 1, anchor);
                if (valid(family, size2)) {
                    double pred2 = predict(pts, items(family, size2), minSlope) + 1.0;
                    if (!pts.isEmpty() && pred2 <= room && pred2 < 0.5 * room) {
                        k++;
                        continue;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%s %s %s (N = %d): predicted %.1f s ...%n", family, strategy, spec(family, size), n, pred);
            long t0 = System.nanoTime();
            String[] res = child(family, size, strategy, xmx, cap);
            double proc = (System.nanoTime() - t0) / 1e9;
            spent += proc;
            budget.left -= proc;
            String status = res[0];
            if (!status.equals("ok")) {
                String note = status.equals("timeout") ? "over the " + cap + " s cap (killed)" : res[1];
                csv.printf(Locale.ROOT, "%s,\"%s\",%d,%d,%s,%s,,,,,%.1f,%.1f,\"%s\"%n", family, spec(family, size), size, n, strategy, status, proc, pred,
                        note.replace('"', '\''));
                csv.flush();
                next = String.format(Locale.ROOT, "%s (N = %d): %s after %.0f s (predicted %.0f s)", spec(family, size), n,
                        status.equals("timeout") ? "over " + cap + " s" : "failed: " + note, proc, pred);
                System.out.println(family + " " + strategy + " " + next);
                break;
            }
            String[] f = res[1].split(",");
            double sample = Double.parseDouble(f[3]), build = Double.parseDouble(f[4]);
            csv.printf(Locale.ROOT, "%s,\"%s\",%d,%d,%s,ok,%s,%s,%.4f,%.4f,%.1f,%.1f,\"%s\"%n", family, spec(family, size), size, n, strategy, f[1], f[2],
                    sample, build, proc, pred, anchor ? f[0] : "");
            csv.flush();
            System.out.printf(Locale.ROOT, "%s %s %s: %s rounds %s queries, sample %.2f s, build %.2f s, process %.1f s%n", family, strategy,
                    spec(family, size), f[1], f[2], sample, build, proc);
            pts.add(new Point(size, n, sample + build));
            best = new String[] {spec(family, size), Integer.toString(n), String.format(Locale.ROOT, "%.1f + %.1f", sample, build), f[1], f[2]};
            k++;
        }
        budget.laddersLeft--;
        String label = anchor ? "anchor" : strategy;
        if (best == null) return String.format(Locale.ROOT, "| %s | %s | none | - | - | - | - | %s |", family, label, next);
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |", family, label, best[0], best[1], best[2], best[3], best[4], next);
    }

    /** Runs one size in a fresh JVM with a wall-clock cap: {"ok", RESULT fields} or {"timeout"|"failed", message}. */
    static String[] child(String family, int size, String strategy, String xmx, int cap) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"), DeterminantalProbe.class.getName(), "run",
                family, Integer.toString(size), strategy);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) lines.add(line);
            } catch (IOException ignored) {
                // process killed
            }
        });
        reader.start();
        if (!p.waitFor(cap, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            reader.join(5000);
            return new String[] {"timeout", ""};
        }
        reader.join(5000);
        synchronized (lines) {
            for (String l : lines) if (l.startsWith("RESULT ")) return new String[] {"ok", l.substring(7)};
            String err = "exit " + p.exitValue();
            for (String l : lines) {
                if (l.contains("OutOfMemoryError")) return new String[] {"failed", "out of memory (-Xmx" + xmx + ")"};
                if (l.contains("Exception") || l.contains("Error")) {
                    err = l.strip();
                    break;
                }
            }
            return new String[] {"failed", err};
        }
    }
}
