package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model onnx:PATH} through the provider hook, forward rows in the report, {@code --picture}. */
class OnnxSampleTest {
    static final String DIGITS = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "models", "digits.onnx").toString();

    @Test
    void digitsReportAndPicture(@TempDir Path dir) throws Exception {
        Path rep = dir.resolve("r.json"), png = dir.resolve("d.png");
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "onnx:" + DIGITS, "--strategy", "token", "--window", "8",
                "--samples", "5", "--threads", "1", "--backend", "cuda", "--no-progress", "--report", rep.toString(), "--picture", png.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(Files.readString(rep)).getAsJsonObject();
        assertEquals(64, j.get("n").getAsInt());
        assertTrue(j.get("forwardRows").getAsLong() > 0 && j.get("forwardRows").getAsLong() <= j.get("queries").getAsLong(), j.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3 * (8 * 6 + 4) + 4, img.getWidth()); // 5 samples: a 3 x 2 grid of 8x8 images
        assertEquals(2 * (8 * 6 + 4) + 4, img.getHeight());
    }

    @Test
    void badModelsAndPicturesAreUsageErrors(@TempDir Path dir) {
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "onnx:" + dir.resolve("none.onnx"), "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not found"), r.err());
        r = SampleCommandTest.cli("sample", "--model", "markov:q=2,stay=0.9", "--n", "10", "--picture", dir.resolve("p.png").toString(),
                "--backend", "cpu", "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--picture"), r.err());
        assertFalse(Files.exists(dir.resolve("p.png")));
    }
}
