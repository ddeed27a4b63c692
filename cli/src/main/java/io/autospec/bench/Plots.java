package io.autospec.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
public final class Plots {
    private Plots() {}

    /** Writes the plots; {@code diffusion}: the models (as in the summaries) whose steps are diffusion steps. */
    public static List<Path> write(Path dir, List<Sweep.Summary> summaries, List<Sweep.Slope> slopes, Set<String> diffusion) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, Double> slopeOf = new LinkedHashMap<>();
        for (Sweep.Slope s : slopes) slopeOf.put(Sweep.key(s.model(), s.strategy(), s.backend()), s.roundsSlope());
        Map<String, Boolean> models = new LinkedHashMap<>();
        for (Sweep.Summary s : summaries) models.put(s.model(), diffusion.contains(s.model()));
        List<Path> files = new ArrayList<>();
        for (String model : models.keySet()) {
            String base = slug(model);
            String x = xAxisTitle(models.get(model));
            XYChart rounds = chart("Rounds per sample: " + model, x, "rounds", true, true);
            XYChart queries = chart("Queries per sample / (n log2 n): " + model, x, "queries / (n log2 n)", true, false);
            XYChart wall = chart("Wall time per sample: " + model, x, "seconds", true, true);
            Map<String, List<Sweep.Summary>> series = new LinkedHashMap<>();
            for (Sweep.Summary s : summaries) {
                if (s.model().equals(model)) series.computeIfAbsent(s.strategy() + " [" + s.backend() + "]", k -> new ArrayList<>()).add(s);
            }
            for (Map.Entry<String, List<Sweep.Summary>> e : series.entrySet()) {
                List<Sweep.Summary> g = e.getValue();
                double[] xs = g.stream().mapToDouble(Sweep.Summary::n).toArray();
                Sweep.Summary f = g.get(0);
                double slope = slopeOf.getOrDefault(Sweep.key(f.model(), f.strategy(), f.backend()), Double.NaN);
                String name = Double.isNaN(slope) ? e.getKey() + " (no slope: < " + Sweep.MIN_SIZES_FOR_SLOPE + " sizes)"
                        : String.format(Locale.ROOT, "%s (slope %.2f)", e.getKey(), slope);
                rounds.addSeries(name, xs, g.stream().mapToDouble(Sweep.Summary::roundsMean).toArray(),
                        // keep error bars above zero on the log axis
                        g.stream().mapToDouble(s -> Math.min(s.roundsSd(), 0.9 * s.roundsMean())).toArray())
                        .setMarker(SeriesMarkers.CIRCLE);
                queries.addSeries(e.getKey(), xs, g.stream().mapToDouble(Sweep.Summary::queriesPerNLogN).toArray()).setMarker(SeriesMarkers.CIRCLE);
                wall.addSeries(e.getKey(), xs, g.stream().mapToDouble(s -> Math.max(s.wallMean(), 1e-6)).toArray()).setMarker(SeriesMarkers.CIRCLE);
            }
            for (XYChart c : List.of(rounds, queries, wall)) decades(c);
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

    /** The x axis: AR sweeps vary the number of positions, diffusion sweeps the number of steps. */
    static String xAxisTitle(boolean diffusion) {
        return diffusion ? "steps" : "n (positions)";
    }

    /**
     * Widens each logarithmic axis to whole decades around its data, so it carries at least two
     * labelled decade ticks (XChart labels log axes at powers of ten only; a sweep of 64..256 would
     * otherwise show a single label, or none).
     */
    static void decades(XYChart c) {
        double xMin = Double.POSITIVE_INFINITY, xMax = 0, yMin = Double.POSITIVE_INFINITY, yMax = 0;
        for (org.knowm.xchart.XYSeries s : c.getSeriesMap().values()) {
            double[] x = s.getXData(), y = s.getYData(), err = s.getExtraValues();
            for (int i = 0; i < x.length; i++) {
                double e = err == null ? 0 : err[i];
                xMin = Math.min(xMin, x[i]);
                xMax = Math.max(xMax, x[i]);
                if (y[i] - e > 0) yMin = Math.min(yMin, y[i] - e);
                yMax = Math.max(yMax, y[i] + e);
            }
        }
        if (c.getStyler().isXAxisLogarithmic() && xMax > 0) {
            c.getStyler().setXAxisMin(decadeBelow(xMin));
            c.getStyler().setXAxisMax(decadeAbove(xMax));
        }
        if (c.getStyler().isYAxisLogarithmic() && yMax > 0) {
            c.getStyler().setYAxisMin(decadeBelow(yMin));
            c.getStyler().setYAxisMax(decadeAbove(yMax));
        }
    }

    /** The largest power of ten at or below v. */
    static double decadeBelow(double v) {
        return Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
    }

    /** The smallest power of ten at or above v, and above its decade start (so the axis spans a decade). */
    static double decadeAbove(double v) {
        double d = Math.pow(10, Math.ceil(Math.log10(v) - 1e-9));
        return d <= decadeBelow(v) ? d * 10 : d;
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
