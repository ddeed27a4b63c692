package io.autospec.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a sweep, made with XChart: rounds vs n (log-log, slope in the legend), queries per
 * n log2 n, and wall time per sample (one line per strategy x backend). */
final class Plots {
    private Plots() {}

    static List<Path> write(Path dir, List<Sweep.Summary> summaries, List<Sweep.Slope> slopes) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, Double> slopeOf = new LinkedHashMap<>();
        for (Sweep.Slope s : slopes) slopeOf.put(Sweep.key(s.model(), s.strategy(), s.backend()), s.roundsSlope());
        Set<String> models = new LinkedHashSet<>();
        for (Sweep.Summary s : summaries) models.add(s.model());
        List<Path> files = new ArrayList<>();
        for (String model : models) {
            String base = slug(model);
            XYChart rounds = chart("Rounds per sample: " + model, "n (steps)", "rounds", true, true);
            XYChart queries = chart("Queries per sample / (n log2 n): " + model, "n (steps)", "queries / (n log2 n)", true, false);
            XYChart wall = chart("Wall time per sample: " + model, "n (steps)", "seconds", true, true);
            Map<String, List<Sweep.Summary>> series = new LinkedHashMap<>();
            for (Sweep.Summary s : summaries) {
                if (s.model().equals(model)) series.computeIfAbsent(s.strategy() + " [" + s.backend() + "]", k -> new ArrayList<>()).add(s);
            }
            for (Map.Entry<String, List<Sweep.Summary>> e : series.entrySet()) {
                List<Sweep.Summary> g = e.getValue();
                double[] x = g.stream().mapToDouble(Sweep.Summary::n).toArray();
                Sweep.Summary f = g.get(0);
                double slope = slopeOf.getOrDefault(Sweep.key(f.model(), f.strategy(), f.backend()), Double.NaN);
                String name = String.format(Locale.ROOT, "%s (slope %.2f)", e.getKey(), slope);
                rounds.addSeries(name, x, g.stream().mapToDouble(Sweep.Summary::roundsMean).toArray(),
                        // keep error bars above zero on the log axis
                        g.stream().mapToDouble(s -> Math.min(s.roundsSd(), 0.9 * s.roundsMean())).toArray())
                        .setMarker(SeriesMarkers.CIRCLE);
                queries.addSeries(e.getKey(), x, g.stream().mapToDouble(Sweep.Summary::queriesPerNLogN).toArray()).setMarker(SeriesMarkers.CIRCLE);
                wall.addSeries(e.getKey(), x, g.stream().mapToDouble(s -> Math.max(s.wallMean(), 1e-6)).toArray()).setMarker(SeriesMarkers.CIRCLE);
            }
            files.add(save(rounds, dir.resolve("rounds-" + base)));
            files.add(save(queries, dir.resolve("queries-" + base)));
            files.add(save(wall, dir.resolve("wall-" + base)));
        }
        return files;
    }

    private static XYChart chart(String title, String x, String y, boolean logX, boolean logY) {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        return c;
    }

    private static Path save(XYChart chart, Path withoutExtension) throws IOException {
        BitmapEncoder.saveBitmap(chart, withoutExtension.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Path.of(withoutExtension + ".png");
    }

    /** A file-name-safe version of a model spec. */
    static String slug(String s) {
        String t = s.replaceAll("[^A-Za-z0-9.=-]+", "_").replace('=', '-');
        return t.length() > 60 ? t.substring(0, 60) : t;
    }
}
