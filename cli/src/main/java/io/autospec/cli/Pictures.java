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
import java.util.List;
import javax.imageio.ImageIO;

/**
 * PNG pictures of determinantal samples (Java2D, ImageIO): a spanning tree of a grid graph drawn on
 * the grid, and an Aztec-diamond tiling with dominoes coloured by their four orientations (north,
 * south, east, west: horizontal/vertical with the black cell on either side), which shows the
 * frozen corners and the arctic circle; and a DPP built from points (dpp:points=FILE,
 * dpp:random-points,n=N): all its points faint, the selected ones bold, one panel per sample.
 */
public final class Pictures {
    private Pictures() {}

    /** Whether {@link #render} can picture samples of this model. */
    public static boolean supports(ModelSpec spec) {
        if (spec.provider() instanceof DeterminantalModels.Aztec) return true;
        if (spec.provider() instanceof DeterminantalModels.Dpp dpp) return dpp.points(spec.args()) != null;
        return spec.provider() instanceof DeterminantalModels.Ust && spec.args().has("grid");
    }

    /** Why a dpp spec cannot be pictured (null when it can, or for other kinds). */
    public static String refusal(ModelSpec spec) {
        if (!(spec.provider() instanceof DeterminantalModels.Dpp dpp) || dpp.points(spec.args()) != null) return null;
        return "--picture draws a DPP's points, and " + spec + " has none (an L matrix or dpp:random has no positions);"
                + " build it from points: dpp:points=FILE (lines x,y) or dpp:random-points,n=N";
    }

    /** {@return one sample of a ust:grid or aztec model, drawn} */
    public static BufferedImage render(ModelSpec spec, int[] sample) {
        return render(spec, List.of(sample));
    }

    /**
     * {@return samples drawn: the first tree of a ust:grid model, the first tiling of an aztec model,
     * or every sample of a DPP built from points, one panel each}
     */
    public static BufferedImage render(ModelSpec spec, List<int[]> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("--picture: no samples to draw");
        String why = refusal(spec);
        if (why != null) throw new IllegalArgumentException(why);
        if (spec.provider() instanceof DeterminantalModels.Dpp dpp) return points(dpp.points(spec.args()), samples);
        if (spec.provider() instanceof DeterminantalModels.Ust ust) {
            SpanningTrees g = ust.model(spec.args());
            if (g.gridWidth() > 0) return spanningTree(g, samples.get(0));
        }
        if (spec.provider() instanceof DeterminantalModels.Aztec aztec) return tiling(aztec.model(spec.args()), samples.get(0));
        throw new IllegalArgumentException("--picture draws ust:grid=WxH and aztec:order=M samples and DPPs built from points, not " + spec);
    }

    private static final int GAP = 6;

    /**
     * Points in the plane, one panel per sample (a near-square grid of panels, row by row): every
     * point a faint grey dot, the sample's items bold dark-red discs.
     */
    public static BufferedImage points(double[][] pts, List<int[]> samples) {
        int count = samples.size();
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        int panel = count == 1 ? 640 : Math.max(200, 960 / columns);
        double[] box = io.autospec.ar.models.det.LEnsemble.boundingBox(pts);
        double x0 = box[0], x1 = box[1], y0 = box[2], y1 = box[3];
        double span = Math.max(Math.max(x1 - x0, y1 - y0), 1e-12);
        double margin = 0.04 * panel, scale = (panel - 2 * margin) / span;
        float faint = Math.max(1.5f, Math.min(4f, panel / (3f * (float) Math.sqrt(pts.length))));
        float bold = Math.max(3f, 2.2f * faint);
        int width = columns * (panel + GAP) + GAP, height = rows * (panel + GAP) + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gr.setColor(new Color(160, 160, 160));
        gr.fillRect(0, 0, width, height);
        for (int s = 0; s < count; s++) {
            int[] x = samples.get(s);
            if (x.length != pts.length) throw new IllegalArgumentException("a sample has " + x.length + " items, the DPP " + pts.length + " points");
            int px = GAP + (s % columns) * (panel + GAP), py = GAP + (s / columns) * (panel + GAP);
            gr.setColor(Color.WHITE);
            gr.fillRect(px, py, panel, panel);
            for (int pass = 0; pass < 2; pass++) {
                float r = pass == 0 ? faint : bold;
                gr.setColor(pass == 0 ? new Color(200, 200, 210) : new Color(170, 20, 30));
                for (int i = 0; i < pts.length; i++) {
                    if (pass == 1 && x[i] == 0) continue;
                    double cx = px + margin + (pts[i][0] - x0) * scale, cy = py + panel - margin - (pts[i][1] - y0) * scale;
                    gr.fill(new java.awt.geom.Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
                }
            }
        }
        gr.dispose();
        return img;
    }

    /**
     * The picture as PNG bytes, encoded in memory: ImageIO's default file cache leaves a stream for a
     * shutdown hook that fails with a NullPointerException after a write error, so it is not used.
     */
    public static byte[] png(BufferedImage img) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
        }
        return bytes.toByteArray();
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
