package io.autospec.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** CSV and Markdown outputs of a sweep. */
final class Tables {
    private Tables() {}

    static Path writeSummaryCsv(Path file, List<Sweep.Summary> summaries) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("model,strategy,backend,n,runs,roundsMean,roundsSd,queriesPerSampleMean,queriesPerSampleSd,queriesPerNLog2N,wallSecondsPerSampleMean,wallSecondsPerSampleSd,picardRmsError");
            for (Sweep.Summary s : summaries) {
                w.printf(Locale.ROOT, "\"%s\",\"%s\",%s,%d,%d,%.3f,%.3f,%.3f,%.3f,%.4f,%.6f,%.6f,%s%n", s.model(), s.strategy(),
                        s.backend(), s.n(), s.runs(), s.roundsMean(), s.roundsSd(), s.queriesMean(), s.queriesSd(),
                        s.queriesPerNLogN(), s.wallMean(), s.wallSd(), Double.isNaN(s.errorMean()) ? "" : String.format(Locale.ROOT, "%.4g", s.errorMean()));
            }
        }
        return file;
    }

    static Path writeSlopesCsv(Path file, List<Sweep.Slope> slopes) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("model,strategy,backend,roundsSlope,queriesSlope,points,nMin,nMax,note");
            for (Sweep.Slope s : slopes) {
                w.printf(Locale.ROOT, "\"%s\",\"%s\",%s,%.4f,%.4f,%d,%d,%d,\"%s\"%n", s.model(), s.strategy(), s.backend(),
                        s.roundsSlope(), s.queriesSlope(), s.points(), s.nMin(), s.nMax(), s.note());
            }
        }
        return file;
    }

    /** One row per model x strategy x backend that stopped before the largest size: where, and why. */
    static Path writeStopsCsv(Path file, List<Sweep.Stop> stops) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("model,strategy,backend,n,kind,note");
            for (Sweep.Stop s : stops) {
                w.printf(Locale.ROOT, "\"%s\",\"%s\",%s,%d,%s,\"%s\"%n", s.model(), s.strategy(), s.backend(), s.n(), s.kind(),
                        s.note().replace('"', '\''));
            }
        }
        return file;
    }

    static Path writeMarkdown(Path file, Sweep.Config config, List<Sweep.Summary> summaries, List<Sweep.Slope> slopes) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.printf("Seeds per point: %d; samples per run: %d; backends: %s.%n%n", config.seeds(), config.samplesPerRun(),
                    String.join(", ", config.backends()));
            w.println("### Fitted log-log slopes (rounds ~ n^slope)");
            w.println();
            w.println("| model | strategy | backend | n range | rounds slope | queries slope | note |");
            w.println("|---|---|---|---|---|---|---|");
            for (Sweep.Slope s : slopes) {
                w.printf(Locale.ROOT, "| %s | %s | %s | %d..%d | %.3f | %.3f | %s |%n", s.model(), s.strategy(), s.backend(),
                        s.nMin(), s.nMax(), s.roundsSlope(), s.queriesSlope(), s.note());
            }
            Set<String> models = new LinkedHashSet<>();
            for (Sweep.Summary s : summaries) models.add(s.model());
            for (String m : models) {
                w.println();
                w.println("### " + m);
                w.println();
                boolean picard = summaries.stream().anyMatch(s -> s.model().equals(m) && !Double.isNaN(s.errorMean()));
                w.println("| strategy | backend | n | rounds (mean ± sd) | queries/sample | queries/(n log2 n) | wall s/sample |" + (picard ? " Picard RMS error |" : ""));
                w.println("|---|---|---|---|---|---|---|" + (picard ? "---|" : ""));
                for (Sweep.Summary s : summaries) {
                    if (!s.model().equals(m)) continue;
                    w.printf(Locale.ROOT, "| %s | %s | %d | %.1f ± %.1f | %.0f | %.3f | %.4f |%s%n", s.strategy(), s.backend(), s.n(),
                            s.roundsMean(), s.roundsSd(), s.queriesMean(), s.queriesPerNLogN(), s.wallMean(),
                            picard ? (Double.isNaN(s.errorMean()) ? " |" : String.format(Locale.ROOT, " %.3g |", s.errorMean())) : "");
                }
            }
            LatencyModel.writeMarkdown(w, summaries, config.samplesPerRun());
        }
        return file;
    }
}
