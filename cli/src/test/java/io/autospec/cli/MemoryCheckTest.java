package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs that cannot fit in the heap are refused before they start (exit 2, one
 * line saying what to change), and running out of memory anyway ends with one line (exit 1), never
 * a stack trace.
 */
class MemoryCheckTest {

    private static void assertRefused(SampleCommandTest.Run r, String... levers) {
        assertEquals(2, r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("autospec: this run needs about "), r.err());
        assertTrue(first.contains("more than the Java heap's"), first);
        for (String lever : levers) assertTrue(first.contains(lever), "expected '" + lever + "' in: " + first);
        assertTrue(first.contains("-Xmx"), first);
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains(" samples in "), "the run must not start: " + r.err());
    }

    /** The issue's {@code --n 100000000}: per-sample state, speculation rows and round buffers of 10^8 positions. */
    @Test
    void hugeChainIsRefusedUpFront() {
        assertRefused(SampleCommandTest.cli("sample", "--model", "markov:q=2,stay=0.9", "--n", "100000000", "--backend", "cpu", "--no-progress"),
                "--capacity", "--n");
    }

    /** The issue's {@code product:q=1048576}: its table and every speculation row hold 2^20 doubles a position. */
    @Test
    void hugeAlphabetIsRefusedUpFront() {
        assertRefused(SampleCommandTest.cli("sample", "--model", "product:q=1048576", "--n", "1000", "--backend", "cpu", "--no-progress"),
                "model tables");
    }

    /**
     * A network's per-launch rows count: 5000 digits samples under a 64 MB heap (a Jacobi sweep of
     * 320000 contexts) are refused up front naming the network's buffers, not run out of memory.
     */
    @Test
    void networkRowsAreCounted() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sample",
                "--model", "onnx:" + OnnxSampleTest.DIGITS, "--samples", "5000", "--strategy", "jacobi", "--backend", "cpu", "--threads", "1",
                "--no-progress");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        String first = out.lines().filter(l -> !l.startsWith("INFO ") && !l.contains(" INFO ")).findFirst().orElse("");
        assertTrue(first.startsWith("autospec: this run needs about "), out);
        assertTrue(first.contains("network rows and buffers (onnxruntime-cpu)"), first);
    }

    /**
     * A run that passes the (skipped) check but cannot fit: a separate JVM with a 32 MB heap. It must
     * end with exit 1 and one line naming the heap and what to change.
     */
    @Test
    void outOfMemoryIsOneLine() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx32m", "-Dautospec.skipMemoryCheck=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "sample", "--model", "markov:q=2,stay=0.9", "--n", "4000000", "--backend", "cpu", "--threads", "1",
                "--no-progress");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> !l.startsWith("INFO ")).toList();
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).startsWith("autospec: error: out of memory (Java heap "), out);
        assertTrue(lines.get(0).contains("--samples") && lines.get(0).contains("-Xmx"), out);
    }
}
