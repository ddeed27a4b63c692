package io.autospec.bench;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The time a user would see, modelled: time = rounds x L + queries x c, for a per-round latency L
 * (10 us: a GPU launch; 1 ms and 20 ms: a neural forward pass) and the oracle's per-query cost c.
 * c is measured from the sweep itself: for each model, backend and n, the smallest wall time per
 * query among the strategies run (the one with the largest batches amortises the round overhead
 * best, so this is the closest upper bound on the cost of one query, host work included).
 */
final class LatencyModel {
    /** Per-round latencies modelled, in seconds. */
    static final double[] LATENCIES = {10e-6, 1e-3, 20e-3};
    static final String[] LABELS = {"10 us", "1 ms", "20 ms"};

    private LatencyModel() {}

    static String point(Sweep.Summary s) {
        return s.model() + "\u0000" + s.backend() + "\u0000" + s.n();
    }

    /** c per (model, backend, n): min over strategies of wall seconds per query. */
    static Map<String, Double> perQueryCost(List<Sweep.Summary> summaries) {
        Map<String, Double> c = new LinkedHashMap<>();
        for (Sweep.Summary s : summaries) {
            if (!(s.queriesMean() > 0)) continue;
            c.merge(point(s), s.wallMean() / s.queriesMean(), Math::min);
        }
        return c;
    }

    /** Modelled seconds for one run of {@code samples} samples at per-round latency L. */
    static double modelled(Sweep.Summary s, double c, int samples, double latency) {
        return s.roundsMean() * latency + s.queriesMean() * samples * c;
    }

    /** Markdown: per model, the modelled time of each strategy per L, and rounds / min rounds of the others. */
    static void writeMarkdown(PrintWriter w, List<Sweep.Summary> summaries, int samples) {
        Map<String, Double> c = perQueryCost(summaries);
        Set<String> models = new LinkedHashSet<>();
        for (Sweep.Summary s : summaries) models.add(s.model());
        w.println();
        w.println("### Latency model: time per run = rounds x L + queries x c");
        w.println();
        w.println("c = the smallest measured wall time per query among the strategies at that point (an upper bound on the"
                + " oracle's cost, host work included). Samples per run: " + samples + ". `rounds / best other`: this"
                + " strategy's rounds over the fewest rounds of any other strategy at that point.");
        for (String m : models) {
            w.println();
            w.println("#### " + m);
            w.println();
            w.print("| strategy | backend | n | rounds | rounds / best other | c (us/query) |");
            for (String l : LABELS) w.print(" time, L = " + l + " (s) |");
            w.println(" CPU wall (s) |");
            w.println("|---|---|---|---|---|---|---|---|---|---|");
            for (Sweep.Summary s : summaries) {
                if (!s.model().equals(m)) continue;
                double best = Double.POSITIVE_INFINITY;
                for (Sweep.Summary o : summaries) {
                    if (o != s && point(o).equals(point(s))) best = Math.min(best, o.roundsMean());
                }
                double cost = c.getOrDefault(point(s), Double.NaN);
                w.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %s | %.3f |", s.strategy(), s.backend(), s.n(), s.roundsMean(),
                        Double.isInfinite(best) ? "–" : String.format(Locale.ROOT, "%.2f", s.roundsMean() / best), cost * 1e6);
                for (double l : LATENCIES) w.printf(Locale.ROOT, " %.4g |", modelled(s, cost, samples, l));
                w.printf(Locale.ROOT, " %.4g |%n", s.wallMean() * samples);
            }
        }
    }
}
