package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sample --given} and {@code --format text}. */
class InfillCommandTest {
    static final String TINY_TEXT = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "src", "test", "resources", "io",
            "autospec", "onnx", "tiny-text.onnx").toString();

    @Test
    void textPatternAndTextFormat(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("s.txt");
        for (String st : new String[] {"sequential", "auto"}) {
            SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "onnx:" + TINY_TEXT, "--strategy", st, "--samples", "20",
                    "--threads", "1", "--no-progress", "--format", "text", "--out", out.toString(), "--given", "b_ ");
            assertEquals(0, r.code(), r.err());
            List<String> lines = Files.readAllLines(out);
            assertEquals(20, lines.size());
            for (String l : lines) {
                assertEquals(4, l.length(), l);
                assertTrue(l.charAt(0) == 'b' && l.charAt(2) == ' ' && "ab ".indexOf(l.charAt(1)) >= 0 && "ab ".indexOf(l.charAt(3)) >= 0, l);
            }
        }
        // CSV stays the default; the pins are in the completed samples.
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "onnx:" + TINY_TEXT, "--samples", "3", "--threads", "1",
                "--no-progress", "--out", out.toString(), "--given", "0=1,3=2");
        assertEquals(0, r.code(), r.err());
        for (String l : Files.readAllLines(out)) assertTrue(l.matches("1,[0-2],[0-2],2"), l);
    }

    @Test
    void pinsOnZooModels(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("s.csv"), rep = dir.resolve("r.json");
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "potts:q=5,stay=0.6", "--n", "32", "--strategy", "speculative",
                "--samples", "4", "--backend", "cpu", "--no-progress", "--out", out.toString(), "--report", rep.toString(),
                "--given", "0=4, 31=3,10=0");
        assertEquals(0, r.code(), r.err());
        for (String l : Files.readAllLines(out)) {
            String[] f = l.split(",");
            assertEquals(32, f.length);
            assertEquals("4", f[0]);
            assertEquals("0", f[10]);
            assertEquals("3", f[31]);
        }
        String report = Files.readString(rep);
        assertTrue(report.contains("\"pinned\": 3") && report.contains("\"n\": 29"), report);
    }

    @Test
    void usageErrors(@TempDir Path dir) {
        String out = dir.resolve("x").toString();
        String[][] bad = {
            {"--model", "markov:q=2,stay=0.9", "--n", "8", "--format", "text", "--out", out},
            {"--model", "markov:q=2,stay=0.9", "--n", "8", "--given", "ab_"},
            {"--model", "markov:q=2,stay=0.9", "--n", "8", "--given", "8=1"},
            {"--model", "markov:q=2,stay=0.9", "--n", "8", "--given", "0=2"},
            {"--model", "markov:q=2,stay=0.9", "--n", "2", "--given", "0=1,1=0"},
            {"--model", "onnx:" + TINY_TEXT, "--format", "text"},
            {"--model", "onnx:" + TINY_TEXT, "--given", "abcde"},
            {"--model", "onnx:" + TINY_TEXT, "--given", "x"},
            {"--model", "gaussian:d=2", "--given", "0=1"},
        };
        for (String[] args : bad) {
            String[] full = new String[args.length + 4];
            full[0] = "sample";
            System.arraycopy(args, 0, full, 1, args.length);
            full[args.length + 1] = "--no-progress";
            full[args.length + 2] = "--backend";
            full[args.length + 3] = "cpu";
            SampleCommandTest.Run r = SampleCommandTest.cli(full);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("--given") || r.err().contains("--format"), String.join(" ", args) + ": " + r.err());
        }
    }
}
