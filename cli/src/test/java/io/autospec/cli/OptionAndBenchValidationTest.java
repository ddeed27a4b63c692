package io.autospec.cli;

import static io.autospec.cli.SampleCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Number options are finite, refused naming the option; {@code bench} checks every model at every
 * size before it makes its directory, and sweeps a fixed-size model at its own size.
 */
class OptionAndBenchValidationTest {
    @TempDir
    Path dir;

    private static void refused(String option, String... args) {
        SampleCommandTest.Run r = cli(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().contains(option), "names " + option + ": " + r.err());
        assertEquals(2, r.err().lines().count(), r.err());
    }

    @Test
    void nonFiniteNumbersAreRefusedNamingTheOption() {
        for (String v : new String[] {"Infinity", "-Infinity", "NaN", "1e999"}) {
            refused("--delta", "sample", "--model", "box:d=2", "--delta", v, "--backend", "cpu", "--no-progress");
            refused("--rho", "sample", "--model", "markov:q=2", "--n", "8", "--strategy", "speculative", "--rho", v, "--backend", "cpu");
            refused("--delta", "bench", "--model", "box:d=2", "--strategy", "sequential", "--delta", v, "--out-dir", "unused");
            refused("--max-run-seconds", "bench", "--model", "markov:q=2", "--strategy", "sequential", "--max-run-seconds", v, "--out-dir", "unused");
        }
        refused("--n", "sample", "--model", "markov:q=2", "--n", "99999999999", "--backend", "cpu");
        assertFalse(Files.exists(Path.of("unused")));
    }

    @Test
    void benchChecksEverySizeBeforeMakingItsDirectory() throws Exception {
        Path onnx = Path.of("../onnx/models/digits.onnx");
        Path out = dir.resolve("sweep");
        if (Files.isRegularFile(onnx)) {
            // The network fixes n = 64: swept at 64 only, whatever --n-min/--n-max say.
            SampleCommandTest.Run r = cli("bench", "--model", "onnx:" + onnx, "--strategy", "sequential", "--seeds", "1", "--n-max", "128",
                    "--backend", "cpu", "--threads", "1", "--out-dir", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.readString(out.resolve("runs.csv")).contains(",64,"), Files.readString(out.resolve("runs.csv")));
        }
        // Fixed-size models: swept at their size, not refused for an --n bench does not take.
        Path table = Files.writeString(dir.resolve("t.csv"), "0,0,1\n0,1,2\n1,1,3\n");
        Path out2 = dir.resolve("sweep2");
        SampleCommandTest.Run r = cli("bench", "--model", "table:" + table, "--model", "ust:grid=3x3", "--strategy", "sequential", "--seeds", "1",
                "--backend", "cpu", "--threads", "1", "--out-dir", out2.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("disagrees"), r.err());
        // A bad model is refused before the directory is made.
        Path out3 = dir.resolve("sweep3");
        r = cli("bench", "--model", "markov:q=1", "--strategy", "sequential", "--out-dir", out3.toString());
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out3), "no directory for a refused sweep");
    }
}
