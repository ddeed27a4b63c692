package io.autospec.cli;

import static io.autospec.cli.SampleCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad outputs, bad models and failing runs, through the real command objects: one clear line, the right exit code, nothing lost. */
class CommandReliabilityTest {
    @TempDir
    Path dir;

    private static final String[] AR = {"sample", "--model", "markov:q=2,stay=0.9", "--n", "16", "--samples", "2", "--backend", "cpu",
        "--no-progress"};

    private static String[] with(String[] base, String... extra) {
        String[] a = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, a, base.length, extra.length);
        return a;
    }

    private static SampleCommandTest.Run usage(String expected, String... args) {
        SampleCommandTest.Run r = cli(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("Exception"), "no Java exception names: " + r.err());
        return r;
    }

    private static int exec(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    /** No output may name one of the model's input files, in any spelling (links, hard links, ./). */
    @Test
    void outputsNeverOverwriteTheModelsInputs() throws Exception {
        Path table = Files.writeString(dir.resolve("m.csv"), "0,0,1\n1,1,3\n");
        byte[] before = Files.readAllBytes(table);
        Path hard = Files.createLink(dir.resolve("hard.csv"), table);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.csv"), table.getFileName());
        String[] base = {"sample", "--model", "table:" + table, "--backend", "cpu", "--no-progress"};
        usage("is the model's input file", with(base, "--out", table.toString()));
        usage("is the model's input file", with(base, "--report", dir + "/./m.csv"));
        usage("is the model's input file", with(base, "--out", hard.toString()));
        usage("is the model's input file", with(base, "--report", soft.toString()));
        assertArrayEquals(before, Files.readAllBytes(table), "the model file is untouched");

        Path atoms = Files.writeString(dir.resolve("a.csv"), "0,0\n1,1\n");
        usage("is the model's input file", "sample", "--model", "atoms:" + atoms, "--steps", "8", "--backend", "cpu", "--report", atoms.toString());
        Path gmm = Files.writeString(dir.resolve("g.csv"), "1,1,0,0\n");
        usage("is the model's input file", "sample", "--model", "gmm:" + gmm, "--steps", "8", "--backend", "cpu", "--out", gmm.toString());
        Path points = Files.writeString(dir.resolve("p.csv"), "0,0\n1,0\n0,1\n1,1\n");
        usage("is the model's input file", "sample", "--model", "dpp:points=" + points, "--backend", "cpu", "--picture", points.toString());
        Path l = Files.writeString(dir.resolve("l.csv"), "1,0\n0,1\n");
        usage("is the model's input file", "sample", "--model", "dpp:" + l, "--backend", "cpu", "--out", l.toString());
        Path edges = Files.writeString(dir.resolve("e.csv"), "0,1\n1,2\n2,0\n");
        usage("is the model's input file", "sample", "--model", "ust:" + edges, "--backend", "cpu", "--report", edges.toString());
        assertEquals("0,0\n1,1\n", Files.readString(atoms));
        assertEquals("0,0\n1,0\n0,1\n1,1\n", Files.readString(points));
    }

    /** --picture is checked with --out and --report (a shared FIFO used to hang). */
    @Test
    void pictureIsCheckedWithTheOtherOutputs() throws Exception {
        Path s = dir.resolve("s.csv");
        String[] ust = {"sample", "--model", "ust:grid=3x3", "--backend", "cpu", "--no-progress"};
        usage("name the same file", with(ust, "--out", s.toString(), "--picture", s.toString()));
        usage("name the same file", with(ust, "--report", s.toString(), "--picture", dir + "/./s.csv"));
        assertFalse(Files.exists(s));
        Path fifo = dir.resolve("fifo");
        assumeTrue(exec(dir, "mkfifo", fifo.toString()) == 0, "mkfifo not available");
        usage("name the same file", with(ust, "--picture", fifo.toString(), "--report", fifo.toString()));
    }

    /** A write error on standard output (closed, full) is exit 1 naming the output, not a silent exit 0. */
    @Test
    void writeErrorOnStdoutIsExit1() {
        PrintStream o = System.out, e = System.err;
        ByteArrayOutputStream be = new ByteArrayOutputStream();
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Bad file descriptor");
            }
        };
        int code;
        int reportCode;
        try {
            System.setOut(new PrintStream(closed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(be, true, StandardCharsets.UTF_8));
            code = Main.run(with(AR, "--out", "-"));
            System.setOut(new PrintStream(closed, true, StandardCharsets.UTF_8));
            reportCode = Main.run(AR); // the readable report on stdout
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        String err = be.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, err);
        assertEquals(1, reportCode, err);
        assertTrue(err.contains("--out: cannot write -"), err);
        assertTrue(err.contains("cannot write the report to standard output"), err);
        assertFalse(err.contains("Exception"), err);
    }

    /** A replaced file keeps its mode (it became 0600); a new one gets the umask's mode; hard links are named. */
    @Test
    void replacedFileKeepsItsMode() throws Exception {
        Path f = Files.writeString(dir.resolve("f.csv"), "old\n");
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(f, mode);
        Path link = Files.createLink(dir.resolve("link.csv"), f);
        SampleCommandTest.Run r = cli(with(AR, "--out", f.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals(mode, Files.getPosixFilePermissions(f));
        assertEquals(2, Files.readAllLines(f).size());
        assertEquals("old\n", Files.readString(link), "the other hard link keeps the old contents");
        assertTrue(r.err().contains("hard links"), r.err());

        Path fresh = dir.resolve("fresh.csv"), reference = dir.resolve("reference");
        Files.newOutputStream(reference).close(); // a new file as any program creates it (0666 less the umask)
        assertEquals(0, cli(with(AR, "--out", fresh.toString())).code());
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(fresh));
    }

    /** Every bad integer model parameter is exit 2 (they were exit 1), in sample and bench alike. */
    @Test
    void badModelParametersAreUsageErrors() {
        String[][] ar = {{"markov:q=1"}, {"markov:q=2147483647"}, {"potts:q=-3"}, {"product:q=0"}};
        for (String[] m : ar) usage("--model " + m[0], "sample", "--model", m[0], "--n", "4", "--backend", "cpu");
        for (String m : List.of("gmm:k=0", "gmm:d=0", "gmm:d=100000000", "atoms:k=-1", "box:d=0")) {
            usage("--model " + m, "sample", "--model", m, "--backend", "cpu");
        }
        usage("--model markov:q=1", "bench", "--model", "markov:q=1", "--strategy", "sequential", "--out-dir", dir.resolve("b").toString());
        usage("--model gmm:d=0", "bench", "--model", "gmm:d=0", "--strategy", "sequential", "--out-dir", dir.resolve("b2").toString());
        assertFalse(Files.exists(dir.resolve("b").resolve("runs.csv")), "nothing ran");
    }

    /** A binary table file and an L with entries near Double.MAX_VALUE are named, not "Input length = 1" or "convergence failed". */
    @Test
    void unreadableModelFilesAreNamed() throws IOException {
        byte[] junk = new byte[64];
        for (int i = 0; i < junk.length; i++) junk[i] = (byte) (0x80 + i);
        Path bin = Files.write(dir.resolve("bin.csv"), junk);
        usage(bin + " is not UTF-8 text", "sample", "--model", "table:" + bin, "--backend", "cpu");
        usage(bin + " is not UTF-8 text", "sample", "--model", "atoms:" + bin, "--backend", "cpu");
        Path big = Files.writeString(dir.resolve("big.csv"), "1.7e308,1e308\n1e308,1.7e308\n");
        usage(big + ": entry (1, 1) is 1.7E308, too large", "sample", "--model", "dpp:" + big, "--backend", "cpu");
    }

    /** Models whose construction alone cannot fit are refused at once, naming the model's size. */
    @Test
    void modelConstructionIsInTheMemoryCheck() {
        for (String m : List.of("ust:grid=200x200", "ust:grid=1024x1024", "aztec:order=4096", "dpp:random,n=65536,rank=3")) {
            long t0 = System.nanoTime();
            usage("has N = ", "sample", "--model", m, "--backend", "cpu");
            double s = (System.nanoTime() - t0) / 1e9;
            assertTrue(s < 3, m + " took " + s + " s to refuse");
        }
        SampleCommandTest.Run r = usage("use a smaller grid", "sample", "--model", "ust:grid=200x200", "--backend", "cpu");
        assertFalse(r.err().contains("--samples"), "advice that applies: " + r.err());
        usage("use a smaller order", "bench", "--model", "aztec:order=4096", "--strategy", "sequential", "--out-dir", dir.resolve("b").toString());
    }

    /** --picture onto a full device is one line and exit 1 (a StreamCloser NullPointerException trace followed). */
    @Test
    void pictureOntoAFullDeviceIsOneLine() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/full")) && Files.isWritable(Path.of("/dev/full")), "no /dev/full");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.autospec.cli.Main", "sample", "--model",
                "ust:grid=8x8", "--backend", "cpu", "--no-progress", "--picture", "/dev/full").directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), log);
        assertTrue(log.contains("--picture: cannot write /dev/full"), log);
        assertFalse(log.contains("Exception"), log);
    }

    /** bench --out-dir "" and a non-empty --out-dir are refused (--force overrides); --quick honours --n-max. */
    @Test
    void benchOutDirRules() throws IOException {
        String[] bench = {"bench", "--model", "markov:q=2,stay=0.9", "--strategy", "sequential", "--n-min", "8", "--n-max", "8", "--seeds", "1"};
        usage("--out-dir: the directory name is empty", with(bench, "--out-dir", ""));
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("runs.csv"), "an earlier sweep\n");
        usage("is not empty (it holds runs.csv)", with(bench, "--out-dir", used.toString()));
        assertEquals("an earlier sweep\n", Files.readString(used.resolve("runs.csv")));
        SampleCommandTest.Run r = cli(with(bench, "--out-dir", used.toString(), "--force"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(used.resolve("runs.csv")).startsWith("model,"));
        usage("--n-max", "bench", "--quick", "--n-max", "5", "--out-dir", dir.resolve("q").toString());
    }

    /** One error handler: a bad model spec raised while a command runs is exit 2 with the usage hint. */
    @Test
    void modelSpecErrorsAnywhereAreUsageErrors() {
        picocli.CommandLine cl = new picocli.CommandLine(new Thrower());
        ByteArrayOutputStream be = new ByteArrayOutputStream();
        cl.setErr(new java.io.PrintWriter(be, true));
        assertEquals(Exits.USAGE, Exits.execute(cl, "x"));
        String err = be.toString(StandardCharsets.UTF_8);
        assertTrue(err.startsWith("x: --model k:q=0: q must be"), err);
        assertTrue(err.contains("--help"), err);
    }

    @picocli.CommandLine.Command(name = "thrower")
    static final class Thrower implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("wrapped", new io.autospec.models.ModelSpecException("--model k:q=0: q must be >= 1"));
        }
    }

    static List<String> lines(String s) {
        return new ArrayList<>(s.lines().toList());
    }
}
