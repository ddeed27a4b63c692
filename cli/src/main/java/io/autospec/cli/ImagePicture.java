package io.autospec.cli;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * {@code --picture FILE.png} for image-shaped AR samples (n a perfect square, e.g. the 8x8 digits):
 * a grid of the samples, value 0 white and q-1 black, so a user sees at a glance what was drawn.
 */
final class ImagePicture {
    private static final int SCALE = 6; // screen pixels per sample pixel
    private static final int GAP = 4;

    private ImagePicture() {}

    /** The side of the square image an AR sample of n positions draws, or 0 when n is not a square. */
    static int side(int n) {
        int s = (int) Math.round(Math.sqrt(n));
        return s > 1 && s * s == n ? s : 0;
    }

    /**
     * Draws diffusion samples (grey levels, d a perfect square, e.g. the 8x8 digits denoiser) as a grid
     * of side x side images: {@code lo} (or below) white, {@code hi} (or above) black.
     */
    static BufferedImage renderGrey(List<double[]> samples, int d, double lo, double hi) {
        List<int[]> levels = new java.util.ArrayList<>();
        for (double[] x : samples) {
            int[] v = new int[d];
            for (int i = 0; i < d; i++) v[i] = (int) Math.round(255 * Math.min(1, Math.max(0, (x[i] - lo) / (hi - lo))));
            levels.add(v);
        }
        return render(levels, d, 256);
    }

    /** Draws samples (values in [0, q)) as a grid of side x side images, in sample order, row by row. */
    static BufferedImage render(List<int[]> samples, int n, int q) {
        int side = side(n);
        if (side == 0) throw new IllegalArgumentException("n = " + n + " is not a square");
        int columns = (int) Math.ceil(Math.sqrt(samples.size()));
        int rows = (samples.size() + columns - 1) / columns;
        int cell = side * SCALE + GAP;
        BufferedImage img = new BufferedImage(columns * cell + GAP, rows * cell + GAP, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) raster.setSample(x, y, 0, 160); // grey frame between images
        }
        for (int s = 0; s < samples.size(); s++) {
            int[] v = samples.get(s);
            int x0 = GAP + (s % columns) * cell, y0 = GAP + (s / columns) * cell;
            for (int i = 0; i < n; i++) {
                int grey = 255 - (int) Math.round(255.0 * v[i] / Math.max(1, q - 1));
                int px = x0 + (i % side) * SCALE, py = y0 + (i / side) * SCALE;
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) raster.setSample(px + dx, py + dy, 0, grey);
                }
            }
        }
        return img;
    }
}
