package io.autospec.cli;

import static io.autospec.cli.SampleCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.autospec.Autospec;
import io.autospec.ar.models.MarkovChain;
import io.autospec.backend.CpuBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad numbers, overflowing models, progress and the heavy-tailed-batch hint, through the command line. */
class SampleHardeningTest {
    @TempDir
    Path dir;

    private static void assertUsage(String expected, String... args) {
        SampleCommandTest.Run r = cli(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("Exception"), "no Java exception names: " + r.err());
    }

    /** --threads 100000 is a usage error, exit 2 (it ended in an IllegalArgumentException and exit 1). */
    @Test
    void threadsOutOfRangeIsAUsageError() {
        assertUsage("--threads must be in [0, " + Limits.MAX_THREADS + "]", "sample", "--model", "markov", "--n", "4", "--threads", "100000");
        assertUsage("--threads must be in [0, ", "sample", "--model", "markov", "--n", "4", "--threads", "-1");
        assertUsage("--threads must be in [0, ", "bench", "--threads", "100000");
        assertEquals(0, cli("sample", "--model", "markov", "--n", "4", "--backend", "cpu", "--threads", "3").code());
    }

    /** Values that passed validation and failed mid-run ("oracle returned NaN") or without file and line. */
    @Test
    void extremeModelValuesAreUsageErrorsNamingFileLineAndValue() throws IOException {
        assertUsage("--model curie-weiss:beta=1e308: beta must be in [-1e6, 1e6], got 1.0E308", "sample", "--model", "curie-weiss:beta=1e308", "--n", "8", "--backend", "cpu");
        Path table = Files.writeString(dir.resolve("t.csv"), "0,0,1e308\n0,1,1e308\n1,1,1\n");
        assertUsage(table + ":2: weight 1e308 makes the total weight overflow", "sample", "--model", "table:" + table, "--backend", "cpu");
        Path gmm = Files.writeString(dir.resolve("g.csv"), "1,1,0,0\n1,1,1e300,0\n");
        assertUsage(gmm + ":2: mean is too large", "sample", "--model", "gmm:" + gmm, "--steps", "8", "--backend", "cpu");
    }

    /** The JSON report names the autospec version and the command line. */
    @Test
    void reportCarriesVersionAndCommandLine() throws IOException {
        Path rep = dir.resolve("r.json");
        String[] args = {"sample", "--model", "markov:q=2,stay=0.9", "--n", "8", "--backend", "cpu", "--report", rep.toString()};
        assertEquals(0, cli(args).code());
        JsonObject j = JsonParser.parseString(Files.readString(rep)).getAsJsonObject();
        String version = j.get("version").getAsString();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), "a Maven version, filtered in at build time: " + version);
        JsonArray cl = j.get("commandLine").getAsJsonArray();
        List<String> got = new ArrayList<>();
        cl.forEach(e -> got.add(e.getAsString()));
        List<String> want = new ArrayList<>(List.of("autospec"));
        want.addAll(List.of(args));
        assertEquals(want, got);
        SampleCommandTest.Run v = cli("--version");
        assertTrue(v.out().contains(version), v.out());
    }

    /**
     * Heavy-tailed batches: with many samples, the run's rounds (the maximum over samples) can exceed
     * sequential's n; the CLI then prints a one-line note. The run below is one where they do, checked
     * through the library before the CLI is asked; a run that stays below n gets no note.
     */
    @Test
    void roundsAboveSequentialGetAOneLineNote() {
        // the Ising chain, with fewer samples: the slowest of 300 samples already needs several times n
        String model = "markov:q=2,stay=0.9";
        int n = 10, m = 300;
        long rounds;
        try (CpuBackend b = new CpuBackend(1)) {
            rounds = Autospec.autoregressive(MarkovChain.stay(n, 2, 0.9)).strategy(Autospec.speculative()).seed(1).backend(b)
                    .sample(m).metrics().rounds();
        }
        SampleCommandTest.Run r = cli("sample", "--model", model, "--n", "" + n, "--samples", "" + m, "--strategy", "speculative",
                "--backend", "cpu", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        long notes = r.err().lines().filter(l -> l.startsWith("autospec: note: ")).count();
        assertEquals(rounds > n ? 1 : 0, notes, "rounds " + rounds + " vs n " + n + ": " + r.err());
        assertTrue(rounds > n, "this setting should show the heavy tail (rounds " + rounds + ")");
        SampleCommandTest.Run small = cli("sample", "--model", model, "--n", "512", "--samples", "1", "--strategy", "speculative",
                "--backend", "cpu");
        // The default (auto) never takes more rounds than sequential: no note.
        SampleCommandTest.Run byDefault = cli("sample", "--model", model, "--n", "" + n, "--samples", "" + m, "--backend", "cpu", "--threads", "1");
        assertEquals(0, byDefault.code(), byDefault.err());
        assertFalse(byDefault.err().contains("note:"), byDefault.err());
        assertFalse(small.err().contains("note:"), small.err());
        assertTrue(cli("sample", "--help").out().contains("takes the MAXIMUM of the M samples' rounds"));
    }

    /** The status line reports rounds, queries and the share of steps drawn, which advances. */
    @Test
    void progressLinesShowStepsDrawn() {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bo, true, StandardCharsets.UTF_8);
        try (CpuBackend b = new CpuBackend(1); Progress p = new Progress(true, false, err, 0, 0)) {
            Autospec.autoregressive(MarkovChain.stay(256, 2, 0.9)).strategy(Autospec.speculative()).seed(2).backend(b).listener(p).sample(4);
        }
        List<String> lines = bo.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.size() > 3, "a line per round here: " + lines);
        double last = -1;
        for (String l : lines) {
            assertTrue(l.matches("autospec: round \\d+, \\d+ queries, [0-9.]+% of steps drawn \\(\\d+/1024\\), \\d/4 samples done, \\d+ s"), l);
            double pct = Double.parseDouble(l.replaceAll(".* queries, ([0-9.]+)% of steps.*", "$1"));
            assertTrue(pct >= last, "steps drawn never go down: " + lines);
            last = pct;
        }
        assertEquals(100.0, last, 0.0);
        String mid = lines.get(lines.size() / 2);
        assertTrue(Double.parseDouble(mid.replaceAll(".* queries, ([0-9.]+)% of steps.*", "$1")) > 0, mid);
    }
}
