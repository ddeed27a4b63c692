package io.autospec.cli;

import io.autospec.RunResult;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run report: JSON fields and the human-readable table. */
final class Reports {
    private Reports() {}

    /** The JSON report: run identity, figures, per-depth speculation statistics, round-size histogram. */
    static Map<String, Object> report(Strategy strategy, RunResult<?> r, long seed, Map<String, Object> model, List<String> commandLine) {
        RunMetrics m = r.metrics();
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("strategy", strategy.name());
        rep.put("spec", strategy.spec()); // the settings in the grammar --strategy parses
        rep.put("settings", strategy.settings());
        rep.put("exact", strategy.exact());
        rep.put("backend", r.backend());
        rep.putAll(model);
        rep.put("samples", m.samples());
        rep.put("seed", seed);
        rep.put("rounds", m.rounds());
        rep.put("launches", m.launches());
        if (m.residentRounds() > 0) rep.put("residentRounds", m.residentRounds());
        rep.put("queries", m.queries());
        rep.put("queriesPerSample", m.samples() == 0 ? 0 : (double) m.queries() / m.samples());
        if (m.forwardRows() > 0) {
            rep.put("forwardRows", m.forwardRows());
            rep.put("forwardRowsPerSample", m.samples() == 0 ? 0 : (double) m.forwardRows() / m.samples());
        }
        rep.put("wallSeconds", m.wallSeconds());
        rep.put("maxRoundQueries", m.maxRoundQueries());
        // Memory figures: the largest piece a round was evaluated in, the peak of running fallback trials.
        rep.put("maxPieceQueries", m.maxPieceQueries());
        if (m.peakTrials() > 0) {
            rep.put("peakTrialSteps", m.peakTrialSteps());
            rep.put("peakTrials", m.peakTrials());
            rep.put("trialWaits", m.trialWaits());
        }
        List<Map<String, Object>> depths = new ArrayList<>();
        for (int d = 0; d < m.levels(); d++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("depth", d);
            row.put("minSpan", m.minSpan(d));
            row.put("maxSpan", m.maxSpan(d));
            row.put("speculations", m.speculations(d));
            row.put("accepted", m.accepted(d));
            row.put("fallbacks", m.fallbacks(d));
            row.put("trials", m.trialsStarted(d));
            depths.add(row);
        }
        if (!depths.isEmpty()) rep.put("speculationByDepth", depths);
        long[] h = m.roundSizeHistogram();
        List<Map<String, Object>> hist = new ArrayList<>();
        for (int b = 0; b < h.length; b++) {
            if (h[b] == 0) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("minQueries", 1L << b);
            row.put("maxQueries", (1L << (b + 1)) - 1);
            row.put("rounds", h[b]);
            hist.add(row);
        }
        rep.put("roundSizeHistogram", hist);
        rep.put("date", Instant.now().toString());
        rep.put("java", System.getProperty("java.version"));
        rep.put("version", Main.version());
        rep.put("commandLine", commandLine);
        return rep;
    }

    /** The report as a short table for a terminal. */
    static String human(Map<String, Object> rep, RunMetrics m) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("model      %s%n", rep.get("model")));
        sb.append(String.format("strategy   %s%s%n", rep.get("spec"),
                Boolean.TRUE.equals(rep.get("exact")) ? "" : "  (APPROXIMATE)"));
        sb.append(String.format("backend    %s, seed %s%n", rep.get("backend"), rep.get("seed")));
        if (rep.get("evaluator") != null) sb.append(String.format("evaluator  %s%n", rep.get("evaluator")));
        sb.append(String.format("samples    %d%n", m.samples()));
        sb.append(String.format("rounds     %d (%d launches%s)%n", m.rounds(), m.launches(),
                m.residentRounds() > 0 ? ", " + m.residentRounds() + " device-resident" : ""));
        Object n = rep.get("n");
        double perSample = m.samples() == 0 ? 0 : (double) m.queries() / m.samples();
        String nlogn = "";
        if (n instanceof Integer ni && ni > 1) nlogn = String.format(", %.2f n log2 n", perSample / (ni * (Math.log(ni) / Math.log(2))));
        sb.append(String.format("queries    %d (%.1f per sample%s)%n", m.queries(), perSample, nlogn));
        if (m.forwardRows() > 0) {
            sb.append(String.format("fwd rows   %d (%.1f per sample)%n", m.forwardRows(), m.samples() == 0 ? 0 : (double) m.forwardRows() / m.samples()));
        }
        sb.append(String.format("wall time  %.3f s%n", m.wallSeconds()));
        if (m.levels() > 0) {
            sb.append(String.format("%nspeculation by recursion depth%n"));
            sb.append(String.format("  %5s  %13s  %12s  %9s  %7s  %9s  %9s%n", "depth", "span", "speculations", "accepted", "rate", "fallbacks", "trials"));
            for (int d = 0; d < m.levels(); d++) {
                long s = m.speculations(d);
                String span = m.minSpan(d) == m.maxSpan(d) ? Long.toString(m.minSpan(d)) : m.minSpan(d) + ".." + m.maxSpan(d);
                sb.append(String.format("  %5d  %13s  %12d  %9d  %7s  %9d  %9d%n", d, s == 0 ? "-" : span, s, m.accepted(d),
                        s == 0 ? "-" : String.format("%.3f", (double) m.accepted(d) / s), m.fallbacks(d), m.trialsStarted(d)));
            }
        }
        long[] h = m.roundSizeHistogram();
        if (h.length > 0) {
            sb.append(String.format("%nqueries per round (rounds)%n "));
            for (int b = 0; b < h.length; b++) {
                if (h[b] == 0) continue;
                sb.append(String.format(" [%d,%d): %d", 1L << b, 1L << (b + 1), h[b]));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
