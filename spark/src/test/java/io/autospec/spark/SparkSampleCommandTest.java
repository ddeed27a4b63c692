package io.autospec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autospec-spark sample}: the part files hold, in id order, exactly what {@code autospec sample --out}
 * writes for the same options; usage errors (the CLI's own checks included) exit 2 and name the value.
 */
class SparkSampleCommandTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session(); // the command uses (and leaves running) the active session
    }

    /** Runs a command with stdout and stderr captured: {exit code, stdout, stderr}. */
    private static String[] run(boolean spark, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int rc = spark ? Main.run(args) : io.autospec.cli.Main.run(args);
            return new String[] {String.valueOf(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** The lines of the part files, in file-name (= partition) order. */
    private static List<String> partLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    private static void assertSameAsTheCli(Path tmp, String[] options, int partitions) throws IOException {
        Path cliOut = tmp.resolve("cli.csv"), dir = tmp.resolve("spark-" + partitions);
        String[] cli = run(false, concat(new String[] {"sample", "--out", cliOut.toString(), "--no-progress"}, options));
        assertEquals("0", cli[0], cli[2]);
        String[] sp = run(true, concat(new String[] {"sample", "--out", dir.toString(), "--partitions", String.valueOf(partitions)}, options));
        assertEquals("0", sp[0], sp[2]);
        List<String> expected = Files.readAllLines(cliOut), got = partLines(dir);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) assertEquals(i + "," + expected.get(i), got.get(i), "row " + i + " of " + dir);
        String samples = options[java.util.Arrays.asList(options).indexOf("--samples") + 1];
        assertTrue(sp[1].contains(samples + " samples in " + Math.min(partitions, Integer.parseInt(samples)) + " partitions"), sp[1]);
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void csvPartFilesHoldTheCliSamplesInIdOrder(@TempDir Path tmp) throws IOException {
        assertSameAsTheCli(tmp, new String[] {"--model", "markov:q=2,stay=0.9", "--n", "24", "--samples", "30", "--seed", "5",
            "--strategy", "speculative", "--rho", "0.5", "--backend", "cpu", "--threads", "1"}, 3);
        assertSameAsTheCli(tmp, new String[] {"--model", "gaussian:d=3", "--steps", "16", "--strategy", "sequential",
            "--samples", "9", "--seed", "2", "--backend", "cpu"}, 4);
    }

    @Test
    void parquetHoldsIdsAndValues(@TempDir Path tmp) {
        Path dir = tmp.resolve("pq");
        String[] sp = run(true, "sample", "--model", "potts:q=3,stay=0.7", "--n", "12", "--samples", "11", "--seed", "4",
                "--strategy", "speculative", "--partitions", "2", "--format", "parquet", "--out", dir.toString());
        assertEquals("0", sp[0], sp[2]);
        List<Row> rows = spark.read().parquet(dir.toString()).orderBy("sampleId").collectAsList();
        List<?> expected = SparkSamplingTest.oneMachine(ModelSource.spec("potts:q=3,stay=0.7", 12), "speculative", 4, 0, 11).samples();
        SparkSamplingTest.assertBitIdentical(expected, rows, "parquet");
    }

    @Test
    void usageErrorsExit2AndNameTheValue(@TempDir Path tmp) throws IOException {
        Path existing = Files.createDirectory(tmp.resolve("existing"));
        String[][] cases = {
            {"markov:q=2,stya=0.9", "stya", "--model", "markov:q=2,stya=0.9", "--n", "8"},
            {"needs --n", "needs --n", "--model", "markov:q=2"},
            {"--rho with sequential (the CLI's check)", "--rho", "--model", "markov:q=2", "--n", "8", "--strategy", "sequential", "--rho", "2"},
            {"--partitions 0", "--partitions must be >= 1, got 0", "--model", "markov:q=2", "--n", "8", "--partitions", "0"},
            {"--out exists", "already exists", "--model", "markov:q=2", "--n", "8", "--out", existing.toString()},
            {"--format", "xml", "--model", "markov:q=2", "--n", "8", "--format", "xml"},
        };
        for (String[] c : cases) {
            String[] r = run(true, concat(new String[] {"sample"}, java.util.Arrays.copyOfRange(c, 2, c.length)));
            assertEquals("2", r[0], c[0] + ": " + r[2]);
            assertTrue(r[2].contains(c[1]), c[0] + ": " + r[2]);
            assertFalse(r[2].contains("Exception"), c[0] + ": " + r[2]);
        }
    }
}
