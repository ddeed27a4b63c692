package io.autospec.cli;

import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.SpanningTrees;
import io.autospec.models.DeterminantalModels;
import io.autospec.models.ModelSpec;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * PNG pictures of determinantal samples (Java2D, ImageIO): a spanning tree of a grid graph drawn on
 * the grid, and an Aztec-diamond tiling with dominoes coloured by their four orientations (north,
 * south, east, west: horizontal/vertical with the black cell on either side), which shows the
 * frozen corners and the arctic circle.
 */
public final class Pictures {
    private Pictures() {}

    /** Whether {@link #draw} can picture samples of this model. */
    public static boolean supports(ModelSpec spec) {
        if (spec.kind().equals("aztec")) return true;
        return spec.kind().equals("ust") && spec.toString().contains("grid=");
    }

    /** {@return one sample of a ust:grid or aztec model, drawn} */
    public static BufferedImage render(ModelSpec spec, int[] sample) {
        Object model = DeterminantalModels.model(spec);
        if (model instanceof SpanningTrees g && g.gridWidth() > 0) return spanningTree(g, sample);
        if (model instanceof AztecDiamond a) return tiling(a, sample);
        throw new IllegalArgumentException("--picture draws ust:grid=WxH and aztec:order=M samples, not " + spec);
    }

    /** Writes a picture to a new or regular file (the benchmark harness's figures). */
    public static void write(BufferedImage img, Path png) throws IOException {
        if (!ImageIO.write(img, "png", png.toFile())) throw new IOException("no PNG writer");
    }

    /** The tree's edges on the W x H grid (vertex (x, y) at column x, row y from the bottom). */
    public static BufferedImage spanningTree(SpanningTrees g, int[] x) {
        int w = g.gridWidth(), h = g.gridHeight();
        if (w == 0) throw new IllegalArgumentException(g.describe() + " is not a grid graph");
        int s = Math.max(4, Math.min(24, 1024 / Math.max(w, h)));
        BufferedImage img = new BufferedImage(w * s, h * s, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, w * s, h * s);
        gr.setColor(new Color(20, 60, 140));
        gr.setStroke(new BasicStroke(Math.max(1.5f, s * 0.4f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int e = 0; e < x.length; e++) {
            if (x[e] == 0) continue;
            int a = g.tail(e), b = g.head(e);
            gr.drawLine(cx(a % w, s), cy(a / w, h, s), cx(b % w, s), cy(b / w, h, s));
        }
        gr.dispose();
        return img;
    }

    private static int cx(int x, int s) {
        return x * s + s / 2;
    }

    private static int cy(int y, int h, int s) {
        return (h - 1 - y) * s + s / 2;
    }

    private static final Color[] ORIENTATION = {
        new Color(220, 60, 50), new Color(240, 190, 40), new Color(40, 110, 200), new Color(60, 170, 90)};

    /** The tiling's dominoes, coloured by orientation. */
    public static BufferedImage tiling(AztecDiamond a, int[] x) {
        int m = a.order(), side = 2 * m;
        int s = Math.max(2, Math.min(24, 1024 / side));
        BufferedImage img = new BufferedImage(side * s, side * s, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, side * s, side * s);
        for (int e = 0; e < x.length; e++) {
            if (x[e] == 0) continue;
            int c = a.lowerCell(e), u = a.upperCell(e);
            boolean horizontal = a.horizontal(e);
            int kind = horizontal ? (a.black(c) ? 0 : 1) : (a.black(u) ? 2 : 3);
            int px = (a.cellX(c) + m) * s, py = (m - 1 - a.cellY(u)) * s;
            int pw = horizontal ? 2 * s : s, ph = horizontal ? s : 2 * s;
            gr.setColor(ORIENTATION[kind]);
            gr.fillRect(px, py, pw, ph);
            if (s >= 4) {
                gr.setColor(ORIENTATION[kind].darker());
                gr.drawRect(px, py, pw - 1, ph - 1);
            }
        }
        gr.dispose();
        return img;
    }
}
