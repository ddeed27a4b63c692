package io.autospec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Readable log axes, the right x-axis title, and no slope from fewer than 3 sizes. */
class PlotsTest {

    @Test
    void logAxesSpanWholeDecadesSoEachHasALabelledTick() {
        XYChart c = new XYChartBuilder().width(400).height(300).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.addSeries("s", new double[] {64, 128, 256}, new double[] {12, 20, 31}, new double[] {2, 3, 40});
        Plots.decades(c);
        // XChart labels a log axis at powers of ten: the quick sweep's 64..256 had at most one
        assertEquals(10, c.getStyler().getXAxisMin(), 0);
        assertEquals(1000, c.getStyler().getXAxisMax(), 0);
        assertEquals(10, c.getStyler().getYAxisMin(), 0);
        assertEquals(100, c.getStyler().getYAxisMax(), 0, "31 + 40 (error bar) fits under 100");
        assertEquals(100, Plots.decadeBelow(100), 0);
        assertEquals(1000, Plots.decadeAbove(100), 0, "a single decade value still gets an axis with two labelled ticks");
        assertEquals(0.01, Plots.decadeBelow(0.05), 1e-18);
    }

    @Test
    void xAxisNamesPositionsForArAndStepsForDiffusion() {
        assertEquals("n (positions)", Plots.xAxisTitle(false));
        assertEquals("steps", Plots.xAxisTitle(true));
    }

    @Test
    void noSlopeFromFewerThanThreeSizes() {
        List<Sweep.Summary> two = List.of(summary(64, 10), summary(128, 20));
        Sweep.Slope s = Sweep.slopes(two, Map.of()).get(0);
        assertTrue(Double.isNaN(s.roundsSlope()) && Double.isNaN(s.queriesSlope()), "two points fit any line exactly");
        assertTrue(s.note().contains("no slope fitted from 2 sizes (needs 3)"), s.note());
        List<Sweep.Summary> three = List.of(summary(64, 10), summary(128, 20), summary(256, 40));
        Sweep.Slope t = Sweep.slopes(three, Map.of()).get(0);
        assertEquals(1.0, t.roundsSlope(), 1e-12);
        assertEquals("", t.note());
    }

    private static Sweep.Summary summary(int n, double rounds) {
        return new Sweep.Summary("markov", "speculative", "cpu", n, 2, rounds, 0, 5 * rounds, 0, 0.01, 0, Double.NaN);
    }
}
