package io.autospec.cli;

import static io.autospec.cli.SampleCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench refuses what would produce nothing or write nowhere. */
class BenchCommandTest {
    @TempDir
    Path dir;

    private void assertUsage(String expected, String... args) throws Exception {
        SampleCommandTest.Run r = cli(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    @Test
    void strategyThatAppliesToNoModelIsAnError() throws Exception {
        Path out = dir.resolve("b");
        assertUsage("--strategy picard applies to diffusion models only, and no --model is one",
                "bench", "--model", "markov:q=2", "--strategy", "picard", "--out-dir", out.toString());
        assertUsage("no --strategy applies to --model gaussian:d=2 (diffusion model)",
                "bench", "--model", "gaussian:d=2", "--model", "markov:q=2", "--strategy", "token", "--out-dir", out.toString());
        assertTrue(!Files.exists(out), "nothing created for a refused sweep");
    }

    @Test
    void unwritableOutDirIsRefusedWithTheReason() throws Exception {
        if (Files.isDirectory(Path.of("/proc/self"))) {
            assertUsage("--out-dir /proc/nope: cannot write there: /proc/nope: ", "bench", "--out-dir", "/proc/nope");
        }
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertUsage("exists and is not a directory", "bench", "--out-dir", file.toString());
    }

    /** Without --out-dir, a new dated directory in the working directory, named in the output. */
    @Test
    void defaultOutDirIsNewAndNamed() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.autospec.cli.Main", "bench",
                "--model", "markov:q=2,stay=0.9", "--strategy", "sequential", "--n-min", "8", "--n-max", "16", "--seeds", "1",
                "--threads", "1");
        Process p = pb.directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        List<Path> made;
        try (Stream<Path> s = Files.list(dir)) {
            made = s.toList();
        }
        assertEquals(1, made.size(), made.toString());
        String name = made.get(0).getFileName().toString();
        assertTrue(name.matches("autospec-bench-\\d{8}-\\d{6}"), name);
        assertTrue(log.contains(made.get(0).toAbsolutePath().toString()), "named in the output: " + log);
        assertTrue(Files.readString(made.get(0).resolve("slopes.csv")).contains("no slope fitted from 2 sizes"));
    }
}
