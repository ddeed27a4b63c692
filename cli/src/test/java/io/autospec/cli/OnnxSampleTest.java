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
                "--samples", "5", "--threads", "1", "--backend", "cpu", "--no-progress", "--report", rep.toString(), "--picture", png.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(Files.readString(rep)).getAsJsonObject();
        assertEquals(64, j.get("n").getAsInt());
        assertEquals("onnxruntime-cpu", j.get("evaluator").getAsString(), j.toString());
        assertTrue(j.get("forwardRows").getAsLong() > 0 && j.get("forwardRows").getAsLong() <= j.get("queries").getAsLong(), j.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3 * (8 * 6 + 4) + 4, img.getWidth()); // 5 samples: a 3 x 2 grid of 8x8 images
        assertEquals(2 * (8 * 6 + 4) + 4, img.getHeight());
    }

    /**
     * {@code --backend cuda} needs the cuda evaluator: where none is registered or no GPU is usable it
     * is a usage error naming why; where one is, the report says it ran. The human report names the
     * evaluator either way.
     */
    @Test
    void backendCudaRequiresTheCudaEvaluator(@TempDir Path dir) throws Exception {
        Path rep = dir.resolve("r.json");
        for (String model : new String[] {"onnx:" + DIGITS, "onnx-denoiser:" + DENOISER}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("sample", "--model", model, "--samples", "2",
                    "--threads", "1", "--backend", "cuda", "--no-progress", "--report", rep.toString()));
            if (model.startsWith("onnx-denoiser")) args.addAll(java.util.List.of("--steps", "8"));
            SampleCommandTest.Run r = SampleCommandTest.cli(args.toArray(String[]::new));
            if (r.code() == 0) {
                assertEquals("cuda", JsonParser.parseString(Files.readString(rep)).getAsJsonObject().get("evaluator").getAsString());
            } else {
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().contains("the cuda evaluator is unavailable: "), r.err());
                assertFalse(r.err().contains("CPU provider only"), r.err());
            }
        }
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "onnx:" + DIGITS, "--samples", "2", "--threads", "1",
                "--backend", "cpu", "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("evaluator  onnxruntime-cpu"), r.out());
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

    // ---- onnx-denoiser ----
    static final String DENOISER = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "models", "digits-denoiser.onnx")
            .toString();
    static final Path FIXTURES = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "src", "test", "resources", "io",
            "autospec", "onnx", "denoiser");

    /** The digits denoiser: report with forward rows, a grey-level picture, and picard --tolerance 0 / auto equal to sequential. */
    @Test
    void digitsDenoiserReportPictureAndBitIdentity(@TempDir Path dir) throws Exception {
        Path rep = dir.resolve("r.json"), png = dir.resolve("d.png");
        String[] common = {"--model", "onnx-denoiser:" + DENOISER, "--steps", "32", "--samples", "5", "--seed", "3", "--threads", "1",
                "--backend", "cpu", "--no-progress"};
        String seq = null;
        for (String[] st : new String[][] {{"--strategy", "sequential"}, {"--strategy", "picard", "--tolerance", "0"}, {"--strategy", "auto"}}) {
            Path out = dir.resolve(st[1] + ".csv");
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("sample"));
            args.addAll(java.util.List.of(common));
            args.addAll(java.util.List.of(st));
            args.addAll(java.util.List.of("--out", out.toString(), "--report", rep.toString(), "--picture", png.toString()));
            SampleCommandTest.Run r = SampleCommandTest.cli(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            JsonObject j = JsonParser.parseString(Files.readString(rep)).getAsJsonObject();
            assertEquals(64, j.get("d").getAsInt());
            assertEquals("onnxruntime-cpu", j.get("evaluator").getAsString(), j.toString());
            assertTrue(j.get("forwardRows").getAsLong() > 0 && j.get("forwardRows").getAsLong() <= j.get("queries").getAsLong(), j.toString());
            String text = Files.readString(out);
            if (seq == null) seq = text;
            else assertEquals(seq, text, st[1] + " differs from sequential");
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(3 * (8 * 6 + 4) + 4, img.getWidth()); // 5 samples: a 3 x 2 grid of 8x8 images
        assertEquals(2 * (8 * 6 + 4) + 4, img.getHeight());
    }

    @Test
    void badDenoisersAreUsageErrors(@TempDir Path dir) {
        for (String bad : new String[] {"bad-int-x.onnx", "bad-rank-x.onnx", "bad-output-d.onnx"}) {
            SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "onnx-denoiser:" + FIXTURES.resolve(bad), "--no-progress");
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains(bad), r.err());
        }
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "onnx-denoiser:" + FIXTURES.resolve("bad-nan.onnx"), "--steps", "8",
                "--delta", "0.1", "--schedule", "uniform", "--samples", "2", "--no-progress", "--out", dir.resolve("o.csv").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("sample 0") && r.err().contains("t = "), r.err());
        r = SampleCommandTest.cli("sample", "--model", "onnx-denoiser:" + FIXTURES.resolve("mixture.onnx"), "--picture",
                dir.resolve("p.png").toString(), "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--picture"), r.err());
    }
}
