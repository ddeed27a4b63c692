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
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's reliability: bad masters, partition caps, failed runs' --out, part-file names and quiet logs (the shared local session). */
class SparkReliabilityTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
    }

    private static String[] run(boolean onSpark, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int rc = onSpark ? Main.run(args) : io.autospec.cli.Main.run(args);
            return new String[] {String.valueOf(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Items 5 and 16: a bad model parameter is exit 2 with the same line in sample and on Spark. */
    @Test
    void badModelParametersExit2LikeTheCli() {
        for (String m : List.of("markov:q=1", "potts:q=-3", "gmm:d=0", "box:d=0")) {
            String[] n = m.startsWith("markov") || m.startsWith("potts") ? new String[] {"--n", "8"} : new String[0];
            String[] args = Stream.concat(Stream.of("sample", "--model", m, "--backend", "cpu"), Stream.of(n)).toArray(String[]::new);
            String[] sp = run(true, args), cli = run(false, args);
            assertEquals("2", sp[0], m + ": " + sp[2]);
            assertEquals("2", cli[0], m + ": " + cli[2]);
            String first = cli[2].lines().findFirst().orElseThrow().substring("autospec: ".length());
            assertEquals("autospec-spark: " + first, sp[2].lines().findFirst().orElseThrow(), "the same message");
        }
    }

    /** A bad --master is one line and exit 2 before any job (it was a stack trace). */
    @Test
    void badMasterIsAUsageError() {
        for (String master : List.of("bogus://x", "local[0]", "local[2,0]", "")) {
            String[] r = run(true, "sample", "--model", "markov:q=2", "--n", "8", "--master", master);
            assertEquals("2", r[0], master + ": " + r[2]);
            assertTrue(r[2].startsWith("autospec-spark: --master " + master), r[2]);
            assertFalse(r[2].contains("Exception") || r[2].contains("\tat "), r[2]);
        }
        for (String ok : List.of("local", "local[*]", "local[4]", "local[4,2]", "local-cluster[2,1,1024]", "spark://h:7077", "yarn", "k8s://https://h:6443")) {
            assertEquals(null, SparkSampleCommand.masterProblem(ok), ok);
        }
    }

    /** Partitions are capped at the samples and at a maximum, with a note. */
    @Test
    void partitionsAreCapped() {
        String[] r = run(true, "sample", "--model", "markov:q=2", "--n", "8", "--samples", "8", "--partitions", "1000000", "--backend", "cpu");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("--partitions 1000000 capped at 8"), r[2]);
        assertTrue(r[1].contains("8 samples in 8 partitions"), r[1]);
        assertEquals(10_000, SparkSampleCommand.MAX_PARTITIONS);
    }

    /** A failed run removes the --out it created (a rerun failed "already exists"); --out "" is named. */
    @Test
    void failedRunLeavesNoOutDirectory(@TempDir Path tmp) {
        Path out = tmp.resolve("s");
        SparkSampling.testHook = new SparkSampling.TaskHook() {
            @Override
            public void started(int partition, int attempt) {
                throw new IllegalStateException("the test's failing task");
            }

            @Override
            public void drawn(int partition, int attempt) {}
        };
        String[] r;
        try {
            r = run(true, "sample", "--model", "markov:q=2", "--n", "8", "--samples", "4", "--partitions", "2", "--out", out.toString());
        } finally {
            SparkSampling.testHook = null;
        }
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("autospec-spark: error: ") && r[2].contains("the test's failing task"), r[2]);
        String errorLine = r[2].lines().filter(l -> l.startsWith("autospec-spark: error: ")).findFirst().orElseThrow();
        assertFalse(errorLine.contains("\tat "), "one line: " + errorLine);
        assertFalse(Files.exists(out), "the failed run's --out is removed");
        String[] again = run(true, "sample", "--model", "markov:q=2", "--n", "8", "--samples", "4", "--partitions", "2", "--out", out.toString());
        assertEquals("0", again[0], again[2]);
        String[] empty = run(true, "sample", "--model", "markov:q=2", "--n", "8", "--out", "");
        assertEquals("2", empty[0], empty[2]);
        assertTrue(empty[2].contains("--out: the directory name is empty"), empty[2]);
    }

    /**
     * Two runs on one --out: when another run makes --out while this one draws its samples, this
     * one fails (exit 1) and leaves the other's directory whole; its own hidden directory is removed.
     */
    @Test
    void aLosingRunNeverRemovesTheWinnersOut(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("race");
        SparkSampling.testHook = new SparkSampling.TaskHook() {
            @Override
            public synchronized void started(int partition, int attempt) {
                try {
                    Files.createDirectories(out);
                    if (!Files.exists(out.resolve("winner.csv"))) Files.writeString(out.resolve("winner.csv"), "0,1\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void drawn(int partition, int attempt) {}
        };
        String[] r;
        try {
            r = run(true, "sample", "--model", "markov:q=2", "--n", "8", "--samples", "4", "--partitions", "2", "--out", out.toString());
        } finally {
            SparkSampling.testHook = null;
        }
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--out " + out), r[2]);
        assertEquals("0,1\n", Files.readString(out.resolve("winner.csv")), "the other run's output is whole");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of("race"), left.map(f -> f.getFileName().toString()).toList(), "no partial directory is left");
        }
    }

    /** The part files are named .csv, as the README says; Spark's own logging is quiet by default. */
    @Test
    void partFilesAreCsvAndSparkLogsAreQuiet(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("csv");
        String[] r = run(true, "sample", "--model", "markov:q=2", "--n", "8", "--samples", "4", "--partitions", "2", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        List<String> parts;
        try (Stream<Path> files = Files.list(out)) {
            parts = files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("part-")).toList();
        }
        assertEquals(2, parts.size(), parts.toString());
        for (String p : parts) assertTrue(p.endsWith(".csv"), p);
        String readme = Files.readString(Path.of(System.getProperty("autospec.source.dir", ".")).resolve("README.md"));
        assertTrue(readme.contains("part-*.csv"), "the README names the part files");

        Level before = LogManager.getRootLogger().getLevel();
        try {
            SparkSampleCommand.quietSpark();
            assertEquals(Level.WARN, LogManager.getRootLogger().getLevel());
            assertFalse(LogManager.getLogger("org.apache.spark.SparkContext").isInfoEnabled());
        } finally {
            org.apache.logging.log4j.core.config.Configurator.setRootLevel(before);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark", before);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.hadoop", before);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.executor.Executor", before);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", before);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.sql.execution.datasources", before);
        }
    }
}
