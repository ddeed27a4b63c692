package io.autospec.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The hidden directory a run writes its samples into before renaming it to {@code --out}: removed
 * when the run fails, and on SIGINT or SIGTERM by a shutdown hook that runs before Spark's own
 * (which would otherwise log every cancelled task's stack trace): the hook silences the logs and
 * says in one line that the run was interrupted.
 */
final class PartialOut {
    /** Above Spark's shutdown hooks (SparkContext 50, temporary files 25) and Hadoop's file systems (10). */
    private static final int PRIORITY = 100;

    private final org.apache.hadoop.fs.FileSystem fs;
    private final org.apache.hadoop.fs.Path dir;
    private final Runnable hook;

    private PartialOut(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path dir, boolean verbose) {
        this.fs = fs;
        this.dir = dir;
        this.hook = () -> {
            if (!verbose) silenceLogs();
            System.err.println("autospec-spark: interrupted: the run stopped and wrote no --out");
            System.err.flush();
            delete();
        };
    }

    /** Registers the shutdown hook for {@code dir} (not yet created: Spark's writer makes it). */
    static PartialOut register(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path dir, boolean verbose) {
        PartialOut p = new PartialOut(fs, dir, verbose);
        org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(p.hook, PRIORITY);
        return p;
    }

    /** Removes the directory if it is still there (a failed run) and drops the hook. */
    void remove() {
        try {
            org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook runs
        }
        delete();
    }

    private void delete() {
        try {
            if ("file".equals(dir.toUri().getScheme())) {
                Path local = Path.of(dir.toUri());
                if (Files.exists(local)) {
                    try (Stream<Path> all = Files.walk(local)) {
                        for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
                    }
                }
            } else if (fs.exists(dir)) {
                fs.delete(dir, true);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("autospec-spark: could not remove the run's partial output " + dir + ": " + e.getMessage());
        }
    }

    private static void silenceLogs() {
        try {
            org.apache.logging.log4j.core.config.Configurator.setAllLevels(org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME,
                    org.apache.logging.log4j.Level.OFF);
        } catch (NoClassDefFoundError | RuntimeException e) {
            // another logging back end: its lines stand
        }
    }
}
