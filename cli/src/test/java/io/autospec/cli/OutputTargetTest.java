package io.autospec.cli;

import static io.autospec.cli.SampleCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --out and --report never replace a special file or
 * a link, never write the same file twice, keep stdout machine-readable, and are checked before the
 * run. Every special file is one the test creates itself (never the machine's /dev/null).
 */
class OutputTargetTest {
    @TempDir
    Path dir;

    private static final String[] RUN = {"sample", "--model", "markov:q=2,stay=0.9", "--n", "16", "--samples", "3", "--backend", "cpu",
        "--no-progress"};

    private static String[] run(String... extra) {
        String[] a = java.util.Arrays.copyOf(RUN, RUN.length + extra.length);
        System.arraycopy(extra, 0, a, RUN.length, extra.length);
        return a;
    }

    private static int exec(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static void assertSamples(String text, int lines) {
        List<String> l = text.lines().toList();
        assertEquals(lines, l.size(), text);
        for (String s : l) assertTrue(s.matches("[01](,[01]){15}"), "a sample line: " + s);
    }

    /** A FIFO is written through (it used to be replaced by a regular file). */
    @Test
    void fifoIsWrittenDirectly() throws Exception {
        Path fifo = dir.resolve("pipe");
        assumeTrue(exec(dir, "mkfifo", fifo.toString()) == 0, "mkfifo not available");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        SampleCommandTest.Run r = cli(run("--out", fifo.toString(), "--report", dir.resolve("r.json").toString()));
        assertEquals(0, r.code(), r.err());
        assertSamples(reader.get(30, TimeUnit.SECONDS), 3);
        assertTrue(Files.isRegularFile(dir.resolve("r.json")));
        assertFalse(Files.isRegularFile(fifo), "the FIFO is still a FIFO");
        assertTrue(Files.exists(fifo));
    }

    /** A symlink is followed, its target replaced atomically, the link kept. */
    @Test
    void symlinkIsFollowedAndKept() throws Exception {
        Path real = Files.writeString(dir.resolve("real.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of("real.csv"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.json"), Path.of("new.json"));
        SampleCommandTest.Run r = cli(run("--out", link.toString(), "--report", dangling.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(dangling), "links kept");
        assertSamples(Files.readString(real), 3);
        assertTrue(JsonParser.parseString(Files.readString(dir.resolve("new.json"))).getAsJsonObject().has("rounds"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary files left");
        }
    }

    /** A character device is written, never replaced; a null device the test makes itself. */
    @Test
    void characterDeviceIsWrittenDirectly() throws Exception {
        Path dev = dir.resolve("null");
        assumeTrue(exec(dir, "mknod", "-m", "666", dev.toString(), "c", "1", "3") == 0,
                "mknod needs root (or a file system that allows devices): skipped");
        SampleCommandTest.Run r = cli(run("--report", dev.toString(), "--out", dir.resolve("s.csv").toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAttributes(dev, java.nio.file.attribute.BasicFileAttributes.class).isOther(), "the device is still a device");
        assertEquals(0020000, (Integer) Files.getAttribute(dev, "unix:mode") & 0170000, "a character device");
        assertSamples(Files.readString(dir.resolve("s.csv")), 3);
    }

    /** Bash's --out >(cat) (a /dev/fd/N path) used to run the job and then fail. */
    @Test
    void processSubstitutionDescriptorIsWritten() throws Exception {
        assumeTrue(exec(dir, "bash", "-c", "true") == 0, "bash not available");
        Path got = dir.resolve("got.csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "\"$0\" -cp \"$CP\" io.autospec.cli.Main " + String.join(" ", run()).replace("markov:q=2,stay=0.9", "'markov:q=2,stay=0.9'")
                        + " --report r.json --out >(cat > got.csv); wait", java);
        pb.environment().put("CP", System.getProperty("java.class.path"));
        Process p = pb.directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        for (int i = 0; i < 100 && (!Files.exists(got) || Files.readString(got).lines().count() < 3); i++) Thread.sleep(50);
        assertSamples(Files.readString(got), 3);
    }

    /** --out X --report X, in any spelling, is a usage error before anything runs. */
    @Test
    void sameFileTwiceIsAUsageError() throws Exception {
        Path x = dir.resolve("x.csv");
        Path link = Files.createSymbolicLink(dir.resolve("l.csv"), x.getFileName());
        String[][] pairs = {{x.toString(), x.toString()}, {x.toString(), dir + "/./x.csv"}, {x.toString(), dir + "/sub/../x.csv"},
            {link.toString(), x.toString()}, {"-", "-"}};
        Files.createDirectories(dir.resolve("sub"));
        for (String[] p : pairs) {
            SampleCommandTest.Run r = cli(run("--out", p[0], "--report", p[1]));
            assertEquals(2, r.code(), String.join(" ", p) + ": " + r.err());
            assertTrue(r.err().contains("name the same file"), r.err());
            assertFalse(Files.exists(x), "nothing written");
        }
        Files.writeString(x, "keep\n");
        assertTrue(OutputTarget.of("--out", x.toString()).sameAs(OutputTarget.of("--report", link.toString())));
        assertFalse(OutputTarget.of("--out", x.toString()).sameAs(OutputTarget.of("--report", dir.resolve("y").toString())));
    }

    /** With samples on stdout and no --report, the readable report goes to stderr. */
    @Test
    void samplesOnStdoutKeepStdoutClean() {
        SampleCommandTest.Run r = cli(run("--out", "-"));
        assertEquals(0, r.code(), r.err());
        assertSamples(r.out(), 3);
        assertTrue(r.err().contains("rounds") && r.err().contains("strategy"), "the table on stderr: " + r.err());
        SampleCommandTest.Run json = cli(run("--out", dir.resolve("s.csv").toString(), "--report", "-"));
        assertEquals(0, json.code(), json.err());
        assertTrue(JsonParser.parseString(json.out()).getAsJsonObject().has("rounds"), "only JSON on stdout");
    }

    /** Unwritable targets are refused before the run, with the reason. */
    @Test
    void unwritableTargetsAreRefusedUpFront() throws IOException {
        assertBad("--out: the file name is empty", "--out", "");
        assertBad("is a directory", "--out", dir.toString());
        assertBad("does not exist", "--report", dir.resolve("no/such/r.json").toString());
        if (Files.isDirectory(Path.of("/proc/self"))) assertBad("cannot create a file in /proc", "--out", "/proc/x.csv");
        Path ro = Files.createDirectories(dir.resolve("ro"));
        ro.toFile().setWritable(false, false);
        try {
            // root may write anyway: then the probe succeeds, and so would the run
            if (!Files.isWritable(ro) || !canCreate(ro)) assertBad("cannot create a file in", "--out", ro.resolve("x.csv").toString());
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    private static boolean canCreate(Path d) {
        try {
            Files.delete(Files.createTempFile(d, "t", ""));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertBad(String expected, String... extra) {
        SampleCommandTest.Run r = cli(run(extra));
        assertEquals(2, r.code(), String.join(" ", extra) + ": " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("rounds ("), "refused before the run: " + r.err());
    }

    /** A failed write (here: the run's body throws) leaves an existing regular file as it was. */
    @Test
    void failedWriteKeepsTheOldFile() throws IOException {
        Path x = Files.writeString(dir.resolve("x.csv"), "previous\n");
        OutputTarget t = OutputTarget.of("--out", x.toString());
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, () -> t.write(w -> {
            w.write("half");
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains("disk full (simulated)") && e.getMessage().contains("--out"), e.getMessage());
        assertEquals("previous\n", Files.readString(x));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "temporary file removed");
        }
    }
}
