package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sample --picture}: PNGs for grid spanning trees, Aztec tilings and DPPs built from points; a usage error otherwise. */
class PicturesTest {
    @Test
    void drawsTreesAndTilings(@TempDir Path dir) throws IOException {
        for (String model : new String[] {"ust:grid=5x4", "aztec:order=4"}) {
            Path png = dir.resolve(model.replace(':', '-').replace('=', '-') + ".png");
            SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", model, "--strategy", "token", "--backend", "cpu",
                    "--picture", png.toString());
            assertEquals(0, r.code(), r.err());
            BufferedImage img = ImageIO.read(png.toFile());
            assertTrue(img.getWidth() > 50 && img.getHeight() > 50, model);
            int coloured = 0;
            for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) coloured++;
            assertTrue(coloured > 20, model + ": the picture is blank");
        }
    }

    @Test
    void otherModelsAreAUsageError(@TempDir Path dir) {
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "markov:q=2", "--n", "8", "--backend", "cpu",
                "--picture", dir.resolve("x.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--picture draws ust:grid=WxH trees, aztec:order=M tilings, DPPs built from points and image-shaped AR samples"), r.err());
        assertTrue(!Files.exists(dir.resolve("x.png")));
    }

    /** Bold (dark red) pixels in each panel of a points picture, panels row by row. */
    private static int[] boldPerPanel(BufferedImage img, int panels, int columns) {
        int panel = (img.getWidth() - 6) / columns - 6;
        int[] bold = new int[panels];
        for (int s = 0; s < panels; s++) {
            int px = 6 + (s % columns) * (panel + 6), py = 6 + (s / columns) * (panel + 6);
            for (int y = py; y < py + panel; y++) {
                for (int x = px; x < px + panel; x++) {
                    int rgb = img.getRGB(x, y), r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF;
                    if (r > 120 && g < 60) bold[s]++;
                }
            }
        }
        return bold;
    }

    @Test
    void drawsDppPointsOnePanelPerSample(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("dpp.png");
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "dpp:random-points,n=60", "--samples", "4", "--strategy", "token",
                "--backend", "cpu", "--picture", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * (480 + 6) + 6, img.getWidth()); // 2 x 2 panels of 480 px
        assertEquals(img.getWidth(), img.getHeight());
        for (int b : boldPerPanel(img, 4, 2)) assertTrue(b > 20, "a panel without selected points");

        Path pts = Files.writeString(dir.resolve("pts.csv"), "0,0\n1,0\n0,1\n1,1\n0.5,0.5\n");
        Path one = dir.resolve("one.png");
        r = SampleCommandTest.cli("sample", "--model", "dpp:points=" + pts + ",bandwidth=0.3", "--backend", "cpu", "--picture", one.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage single = ImageIO.read(one.toFile());
        assertEquals(640 + 12, single.getWidth());
        int faint = 0;
        for (int y = 0; y < single.getHeight(); y++) for (int x = 0; x < single.getWidth(); x++) if ((single.getRGB(x, y) & 0xFFFFFF) == 0xC8C8D2) faint++;
        assertTrue(faint > 0 || boldPerPanel(single, 1, 1)[0] > 0, "nothing drawn");
    }

    @Test
    void dppWithoutPointsIsAUsageError(@TempDir Path dir) throws IOException {
        Path l = Files.writeString(dir.resolve("l.csv"), "2,1\n1,2\n");
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "dpp:" + l, "--backend", "cpu", "--picture", dir.resolve("x.png").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--picture draws a DPP's points, and dpp:" + l + " has none") && r.err().contains("dpp:points=FILE"), r.err());
        assertTrue(!Files.exists(dir.resolve("x.png")));
    }
}
