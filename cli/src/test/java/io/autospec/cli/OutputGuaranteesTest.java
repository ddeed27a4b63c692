package io.autospec.cli;

import static io.autospec.cli.SampleCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises about files, for the cases that broke it: every file a model reads is
 * an input (ONNX external data, a vocabulary sidecar); the outputs of a failed run replace nothing;
 * long names fit or are refused before the run; echoed names stay on one line.
 */
class OutputGuaranteesTest {
    @TempDir
    Path dir;

    private static final String[] B = {"--backend", "cpu", "--threads", "1", "--no-progress"};

    private static String[] args(String... a) {
        return Stream.concat(Stream.of(a), Stream.of(B)).toArray(String[]::new);
    }

    private static SampleCommandTest.Run expect(int code, String text, String... a) {
        SampleCommandTest.Run r = cli(args(a));
        assertEquals(code, r.code(), String.join(" ", a) + ": " + r.err());
        assertTrue(r.err().contains(text), "expected '" + text + "' in: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        return r;
    }

    private static byte[] field(int number, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(number << 3 | 2);
        out.write(body.length); // bodies here are under 128 bytes
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] s(String t) {
        return t.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void externalDataAndSidecarsAreInputs() throws Exception {
        Path weights = Files.writeString(dir.resolve("m.onnx.data"), "weights");
        Path vocab = Files.writeString(dir.resolve("m.onnx.vocab"), "ab\n");
        byte[] tensor = cat(field(8, s("w")), field(13, cat(field(1, s("location")), field(2, s("m.onnx.data")))));
        Path model = Files.write(dir.resolve("m.onnx"), field(7, field(5, tensor)));
        for (String opt : new String[] {"--out", "--report", "--picture"}) {
            expect(2, "is the model's input file", "sample", "--model", "onnx:" + model, opt, weights.toString());
            expect(2, "is the model's input file", "sample", "--model", "onnx:" + model, opt, dir + "/./m.onnx.vocab");
        }
        assertEquals("weights", Files.readString(weights));
        assertEquals("ab\n", Files.readString(vocab));
    }

    @Test
    void aFailedRunReplacesNoOutput() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full");
        Path out = Files.writeString(dir.resolve("o.csv"), "old\n");
        expect(1, "/dev/full", "sample", "--model", "markov:q=2", "--n", "16", "--out", out.toString(), "--report", "/dev/full");
        expect(1, "/dev/full", "sample", "--model", "markov:q=2", "--n", "16", "--out", out.toString(), "--picture", "/dev/full");
        Path report = Files.writeString(dir.resolve("r.json"), "old report\n");
        expect(1, "/dev/full", "sample", "--model", "markov:q=2", "--n", "16", "--out", "/dev/full", "--report", report.toString());
        assertEquals("old\n", Files.readString(out));
        assertEquals("old report\n", Files.readString(report));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().endsWith(".partial")).count(), "no partial file is left");
        }
        // A run that succeeds writes all of them.
        expect(0, "", "sample", "--model", "markov:q=2", "--n", "16", "--samples", "3", "--out", out.toString(), "--report", report.toString());
        assertEquals(3, Files.readAllLines(out).size());
        assertTrue(Files.readString(report).contains("\"rounds\""));
    }

    @Test
    void longNamesFitOrAreRefusedFirst() throws Exception {
        for (int len : new int[] {240, 255}) {
            Path out = dir.resolve("a".repeat(len));
            expect(0, "", "sample", "--model", "markov:q=2", "--n", "8", "--out", out.toString(), "--report", dir.resolve("r" + len).toString());
            assertEquals(1, Files.readAllLines(out).size());
        }
        Path tooLong = dir.resolve("b".repeat(256));
        expect(2, "256 bytes", "sample", "--model", "markov:q=2", "--n", "8", "--out", tooLong.toString());
        assertFalse(Files.exists(tooLong));
        String stem = OutputTarget.partialStem("\u00e9".repeat(200));
        int bytes = stem.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= OutputTarget.NAME_MAX - 23 && bytes > 200 && !stem.contains("\ufffd"), "cut on a character boundary to fit: " + bytes);
    }

    @Test
    void messagesNameTheRightProblemOnOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        expect(2, file + " is not a directory", "sample", "--model", "markov:q=2", "--n", "8", "--out", file + "/sub/o.csv");
        expect(2, "does not exist", "sample", "--model", "markov:q=2", "--n", "8", "--out", dir + "/nowhere/o.csv");
        SampleCommandTest.Run r = expect(2, "a\\nb", "sample", "--model", "markov:q=2", "--n", "8", "--out", dir + "/a\nb/o.csv");
        assertEquals(2, r.err().lines().count(), "one line and the hint: " + r.err());
        assertArrayEquals(new byte[] {'x'}, Files.readAllBytes(file));
    }
}
