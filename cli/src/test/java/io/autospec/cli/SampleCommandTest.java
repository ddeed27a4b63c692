package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {

    record Run(int code, String out, String err) {}

    static synchronized Run cli(String... args) {
        PrintStream o = System.out, e = System.err;
        ByteArrayOutputStream bo = new ByteArrayOutputStream(), be = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bo, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(be, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, bo.toString(StandardCharsets.UTF_8), be.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void writesSamplesAndJsonReport(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("s.csv"), rep = dir.resolve("r.json");
        Run r = cli("sample", "--model", "markov:q=2,stay=0.9", "--n", "64", "--strategy", "speculative",
                "--samples", "5", "--seed", "7", "--backend", "cpu", "--out", out.toString(), "--report", rep.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(5, lines.size());
        for (String l : lines) {
            String[] f = l.split(",");
            assertEquals(64, f.length);
            for (String v : f) assertTrue(v.equals("0") || v.equals("1"), l);
        }
        JsonObject j = JsonParser.parseString(Files.readString(rep)).getAsJsonObject();
        for (String key : new String[] {"strategy", "backend", "n", "samples", "seed", "rounds", "launches", "queries", "wallSeconds"}) {
            assertTrue(j.has(key), "report lacks " + key);
        }
        assertEquals("speculative", j.get("strategy").getAsString());
        assertEquals(64, j.get("n").getAsInt());
        assertEquals(5, j.get("samples").getAsInt());
        assertEquals(7, j.get("seed").getAsLong());
        assertTrue(j.get("rounds").getAsLong() > 0 && j.get("rounds").getAsLong() < 64 * 5);
        assertTrue(r.err().contains("rounds"), "one-line summary on stderr: " + r.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void sameSeedSameSamplesWhateverCapacityAndThreads(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.csv"), b = dir.resolve("b.csv");
        assertEquals(0, cli("sample", "--model", "potts:q=3,stay=0.7", "--n", "50", "--samples", "3", "--seed", "11",
                "--backend", "cpu", "--threads", "1", "--out", a.toString()).code());
        assertEquals(0, cli("sample", "--model", "potts:q=3,stay=0.7", "--n", "50", "--samples", "3", "--seed", "11",
                "--backend", "cpu", "--threads", "2", "--capacity", "3", "--out", b.toString()).code());
        assertEquals(Files.readAllLines(a), Files.readAllLines(b));
    }

    @Test
    void tableModelTakesNFromTheFile(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("t.csv");
        Files.writeString(t, "0,0,1\n0,1,2\n1,1,0\n1,0,3\n");
        Path out = dir.resolve("o.csv");
        Run r = cli("sample", "--model", "table:" + t, "--strategy", "token", "--window", "2", "--samples", "20",
                "--backend", "cpu", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String l : Files.readAllLines(out)) assertFalse(l.equals("1,1"), "weight-0 assignment sampled");
    }

    /** jacobi draws the sequential samples (same seed, same file); auto and picard --tolerance 0 report themselves exact. */
    @Test
    void jacobiAndAutoAreExactStrategies(@TempDir Path dir) throws IOException {
        Path seq = dir.resolve("seq.csv"), jac = dir.resolve("jac.csv"), rep = dir.resolve("r.json");
        Run r = cli("sample", "--model", "potts:q=3,stay=0.7", "--n", "200", "--samples", "5", "--seed", "9",
                "--strategy", "sequential", "--backend", "cpu", "--out", seq.toString());
        assertEquals(0, r.code(), r.err());
        r = cli("sample", "--model", "potts:q=3,stay=0.7", "--n", "200", "--samples", "5", "--seed", "9",
                "--strategy", "jacobi", "--window", "50", "--backend", "cpu", "--out", jac.toString(), "--report", rep.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readAllLines(seq), Files.readAllLines(jac));
        JsonObject j = JsonParser.parseString(Files.readString(rep)).getAsJsonObject();
        assertTrue(j.get("exact").getAsBoolean());
        assertEquals("jacobi", j.get("strategy").getAsString());
        for (String[] m : new String[][] {{"markov", "--n", "64"}, {"gaussian:d=2", "--steps", "16"}}) {
            r = cli("sample", "--model", m[0], m[1], m[2], "--strategy", "auto", "--backend", "cpu", "--report", rep.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(JsonParser.parseString(Files.readString(rep)).getAsJsonObject().get("exact").getAsBoolean(), m[0]);
        }
        r = cli("sample", "--model", "gaussian:d=2", "--steps", "16", "--strategy", "picard", "--tolerance", "0",
                "--backend", "cpu", "--report", rep.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(JsonParser.parseString(Files.readString(rep)).getAsJsonObject().get("exact").getAsBoolean());
        assertBad("--strategy jacobi applies to AR models only", "sample", "--model", "gaussian:d=2", "--strategy", "jacobi");
    }

    /** --coupling gumbel: jacobi and auto write the sequential-under-gumbel file, which differs from inverse-cdf's; misuse is a usage error. */
    @Test
    void gumbelCouplingKeepsJacobiAndAutoEqualToSequential(@TempDir Path dir) throws IOException {
        String[] common = {"sample", "--model", "potts:q=8,stay=0.5", "--n", "100", "--samples", "4", "--seed", "3", "--backend", "cpu"};
        java.util.Map<String, List<String>> files = new java.util.LinkedHashMap<>();
        for (String[] s : new String[][] {{"sequential", "gumbel"}, {"jacobi", "gumbel"}, {"auto", "gumbel"}, {"sequential", "inverse-cdf"}}) {
            Path out = dir.resolve(s[0] + "-" + s[1] + ".csv");
            List<String> args = new java.util.ArrayList<>(List.of(common));
            args.addAll(List.of("--strategy", s[0], "--coupling", s[1], "--out", out.toString()));
            Run r = cli(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            files.put(s[0] + "-" + s[1], Files.readAllLines(out));
        }
        assertEquals(files.get("sequential-gumbel"), files.get("jacobi-gumbel"));
        assertEquals(files.get("sequential-gumbel"), files.get("auto-gumbel"));
        assertNotEquals(files.get("sequential-gumbel"), files.get("sequential-inverse-cdf"));
        assertBad("--coupling applies to --strategy sequential, jacobi or auto only", "sample", "--model", "markov", "--n", "8",
                "--strategy", "token", "--coupling", "gumbel");
        assertBad("--coupling applies to AR models only", "sample", "--model", "box:d=2", "--coupling", "gumbel");
        assertBad("coupling must be auto, inverse-cdf or gumbel", "sample", "--model", "markov", "--n", "8", "--coupling", "max");
        assertBad("--coupling repeats the setting coupling=", "sample", "--model", "markov", "--n", "8",
                "--strategy", "jacobi:coupling=gumbel", "--coupling", "gumbel");
    }

    @Test
    void diffusionModelsWriteDValuesPerLineAndReportStepsAndD(@TempDir Path dir) throws IOException {
        Path atoms = dir.resolve("atoms.csv");
        Files.writeString(atoms, "x,y\n0.5,-1\n-0.25,0.75\n1,1\n");
        String[][] models = {{"atoms:" + atoms, "2"}, {"atoms:k=8,d=3,seed=2", "3"}, {"gmm:k=3,d=2", "2"},
            {"box:d=4,lo=-1,hi=2", "4"}, {"gaussian:d=2,mean=1,variance=0.5", "2"}};
        for (String[] m : models) {
            for (String strategy : new String[] {"sequential", "speculative", "picard"}) {
                Path out = dir.resolve("o.csv"), rep = dir.resolve("r.json");
                Run r = cli("sample", "--model", m[0], "--strategy", strategy, "--steps", "32", "--delta", "0.05",
                        "--samples", "3", "--backend", "cpu", "--out", out.toString(), "--report", rep.toString());
                assertEquals(0, r.code(), m[0] + " " + strategy + ": " + r.err());
                List<String> lines = Files.readAllLines(out);
                assertEquals(3, lines.size());
                for (String l : lines) {
                    String[] f = l.split(",");
                    assertEquals(Integer.parseInt(m[1]), f.length, l);
                    for (String v : f) assertTrue(Double.isFinite(Double.parseDouble(v)), l);
                }
                JsonObject j = JsonParser.parseString(Files.readString(rep)).getAsJsonObject();
                assertEquals(32, j.get("steps").getAsInt());
                assertEquals(Integer.parseInt(m[1]), j.get("d").getAsInt());
                assertEquals(!strategy.equals("picard"), j.get("exact").getAsBoolean());
                if (strategy.equals("sequential")) assertEquals(32, j.get("rounds").getAsInt());
            }
        }
        Run picard = cli("sample", "--model", "gaussian:d=2", "--strategy", "picard", "--steps", "16", "--backend", "cpu");
        assertTrue(picard.err().contains("APPROXIMATE") && picard.out().contains("APPROXIMATE"), picard.err());
    }

    @Test
    void badDiffusionArgumentsAndFiles(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "0.5,1\n0.25,abc\n");
        assertBad(bad + ":2", "sample", "--model", "atoms:" + bad, "--steps", "8");
        assertBad("--strategy token applies to AR models only", "sample", "--model", "gaussian:d=2", "--strategy", "token");
        assertBad("--n applies to AR models", "sample", "--model", "gaussian:d=2", "--n", "5");
        assertBad("--delta must be a positive number", "sample", "--model", "box:d=2", "--delta", "-1");
        assertBad("need lo < hi", "sample", "--model", "box:d=2,lo=1,hi=0");
        assertBad("--steps, --delta and --schedule apply to diffusion models only", "sample", "--model", "markov", "--n", "4", "--steps", "3");
        assertBad("--tolerance applies to --strategy picard only", "sample", "--model", "box:d=2", "--tolerance", "0.1");
    }

    @Test
    void badArgumentsGiveAClearErrorAndExitCode2() {
        assertBad("--n must be >= 1", "sample", "--model", "markov", "--n", "0");
        assertBad("'abc' is not an int", "sample", "--model", "markov", "--n", "abc");
        assertBad("unknown model 'nosuch'", "sample", "--model", "nosuch", "--n", "4");
        assertBad("stay must be in [0, 1]", "sample", "--model", "markov:stay=2", "--n", "4");
        assertBad("has no parameter 'beta'", "sample", "--model", "markov:beta=2", "--n", "4");
        assertBad("needs --n", "sample", "--model", "markov");
        assertBad("--window applies to --strategy token, picard, jacobi or auto only", "sample", "--model", "markov", "--n", "4",
                "--strategy", "speculative", "--window", "3");
        assertBad("--rho must be a positive number", "sample", "--model", "markov", "--n", "4", "--rho", "-1");
        assertBad("--strategy picard applies to diffusion models only", "sample", "--model", "markov", "--n", "4", "--strategy", "picard");
        assertBad("model file not found", "sample", "--model", "table:/no/such/file.csv");
        assertBad("Invalid value for option '--strategy'", "sample", "--model", "markov", "--n", "4", "--strategy", "fast");
        assertBad("does not exist", "sample", "--model", "markov", "--n", "4", "--out", "/no/such/dir/x.csv");
    }

    private static void assertBad(String expected, String... args) {
        Run r = cli(args);
        assertEquals(2, r.code(), "exit code for " + String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertTrue(r.err().length() < 600, "a short message, not a usage dump: " + r.err());
    }

    @Test
    void everyCommandHasHelp() {
        Run r = cli("sample", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--strategy"));
        Run top = cli("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("sample"));
    }

    @Test
    void interruptedWriteLeavesNoFile(@TempDir Path dir) {
        Path target = dir.resolve("x.csv");
        OutputTarget t = OutputTarget.of("--out", target.toString());
        assertThrows(IllegalStateException.class, () -> t.write(w -> {
            w.write("1,2,3\n");
            throw new IllegalStateException("oracle failed mid-run");
        }));
        assertFalse(Files.exists(target));
        assertEquals(0, dir.toFile().list().length, "temporary file removed");
    }
}
