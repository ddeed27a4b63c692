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

/** {@code sample --picture}: PNGs for grid spanning trees and Aztec tilings; a usage error otherwise. */
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
        assertTrue(r.err().contains("--picture draws ust:grid=WxH trees, aztec:order=M tilings and image-shaped AR samples"), r.err());
        assertTrue(!Files.exists(dir.resolve("x.png")));
    }
}
