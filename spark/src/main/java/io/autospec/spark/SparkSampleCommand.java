package io.autospec.spark;

import io.autospec.cli.SampleCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code sample} on Spark: the run options every front end declares alike ({@link io.autospec.cli.SampleOptions},
 * parsed into the CLI's command, so both stay the same), plus {@code --master}, {@code --partitions},
 * {@code --out DIR}, {@code --verbose} and {@code --format}.
 */
@Command(name = "sample",
        mixinStandardHelpOptions = true,
        modelTransformer = io.autospec.cli.RegistryHelp.class,
        sortOptions = false,
        description = {
            "Draws exact samples on Apache Spark: partition p draws a contiguous range of sample ids in one engine "
                    + "run on its executor, so the samples are those of `autospec sample` with the same seed, whatever the "
                    + "partitions, executors or task retries. Prints the run's cost summed over partitions.",
            "Model files must be readable on every executor.",
            "",
            io.autospec.cli.RegistryHelp.MODELS,
            "",
            io.autospec.cli.RegistryHelp.STRATEGIES,
            ""
        })
final class SparkSampleCommand implements Callable<Integer> {
    /** The most partitions a run uses: more only adds scheduling and logs (each one is a task). */
    static final int MAX_PARTITIONS = 10_000;

    enum Format { csv, parquet }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit set, else local[*]).")
    String master;

    @Option(names = "--partitions", paramLabel = "P",
            description = "Partitions, each one engine run over a contiguous range of sample ids (default: Spark's default parallelism;"
                    + " at most --samples and " + MAX_PARTITIONS + ").")
    Integer partitions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the samples as part files into DIR (must not exist; removed again if the run fails): part-*.csv, "
                    + "rows sampleId,value,value,... in id order.")
    String out;

    @Option(names = "--verbose", description = "Show Spark's own INFO log lines (default: warnings and errors only).")
    boolean verbose;

    @Option(names = "--format", paramLabel = "NAME", defaultValue = "csv",
            description = "csv | parquet (columns sampleId, values) (default: ${DEFAULT-VALUE}).")
    Format format;

    /** The CLI's command, whose options are parsed into it. */
    private final SampleCommand cli = new SampleCommand();

    /** This command with the shared run options ({@link io.autospec.cli.SampleOptions}) added, bound to the CLI's command. */
    static CommandLine commandLine() {
        SparkSampleCommand cmd = new SparkSampleCommand();
        CommandLine cl = new CommandLine(cmd);
        CommandLine.Model.CommandSpec mine = cl.getCommandSpec();
        Set<String> shared = new java.util.HashSet<>();
        for (OptionSpec o : new CommandLine(new io.autospec.cli.SampleOptions()).getCommandSpec().options()) shared.add(o.longestName());
        for (OptionSpec o : new CommandLine(cmd.cli).getCommandSpec().options()) {
            if (!shared.contains(o.longestName())) continue;
            // Here threads are per task; Spark's task slots are the parallelism across tasks.
            if (o.longestName().equals("--threads")) {
                o = OptionSpec.builder(o).description("CPU backend threads per task (0 = spark.task.cpus, default 1).").build();
            }
            mine.addOption(o);
        }
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        SampleCommand.Plan plan;
        try {
            plan = cli.plan(name -> spec.commandLine().getParseResult().hasMatchedOption(name));
        } catch (CommandLine.ParameterException e) {
            throw usage(e.getMessage()); // reported against this command, not the CLI's
        }
        if (partitions != null && partitions < 1) throw usage("--partitions must be >= 1, got " + partitions);
        if (out != null && out.isBlank()) throw usage("--out: the directory name is empty");
        if (out != null && !out.contains("://") && Files.exists(Path.of(out))) throw usage("--out " + shown(out) + " already exists");
        if (out != null) checkOutParent(out);
        if (master != null) {
            String why = masterProblem(master);
            if (why != null) throw usage("--master " + master + ": " + why);
        }
        ModelSource model = new ModelSource.Spec(plan.model(), plan.n(), plan.steps(), plan.delta(), plan.schedule());
        String tooLarge = io.autospec.models.ModelSpec.parse(plan.model()).memory(plan.n(), null).buildRefusal(Runtime.getRuntime().maxMemory());
        if (tooLarge != null && !Boolean.getBoolean("autospec.skipMemoryCheck")) throw usage(tooLarge);
        SamplingJob job;
        try {
            job = new SamplingJob(model, plan.strategy(), plan.seed(), plan.backend(), plan.threads(), plan.capacity());
            job.check(); // before a session starts: bad models cost no cluster time
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        checkMemory(plan); // after the construction check: a model too large to build is refused by its size

        boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        if (ownSession && !verbose) quietSpark();
        SparkSession.Builder b = SparkSession.builder().appName("autospec sample");
        if (master != null) b.master(master);
        else if (System.getProperty("spark.master") == null) b.master("local[*]");
        SparkSession spark = b.getOrCreate();
        org.apache.hadoop.fs.Path outPath = null, staging = null;
        org.apache.hadoop.fs.FileSystem fs = null;
        PartialOut partial = null;
        try {
            if (out != null) {
                outPath = new org.apache.hadoop.fs.Path(out);
                fs = outPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
                if (fs.exists(outPath)) throw usage("--out " + shown(out) + " already exists");
                // The run writes a hidden directory of its own beside --out and renames it to --out
                // when complete: a failed or interrupted run removes only that, never an --out that
                // another run (racing for the same name) wrote.
                outPath = fs.makeQualified(outPath);
                staging = new org.apache.hadoop.fs.Path(outPath.getParent(), "." + outPath.getName() + "."
                        + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".partial");
                partial = PartialOut.register(fs, staging, verbose);
            }
            int asked = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
            int p = Math.min(asked, Math.min(plan.samples(), MAX_PARTITIONS));
            if (partitions != null && p < partitions) {
                System.err.println("autospec-spark: note: --partitions " + partitions + " capped at " + p + " ("
                        + (p == plan.samples() ? "one partition per sample" : "at most " + MAX_PARTITIONS) + ")");
            }
            long t0 = System.nanoTime();
            Dataset<Row> samples = SparkSampling.sample(spark, job, plan.samples(), p);
            if (out != null) {
                // Kept so the metrics below reuse the drawn samples rather than drawing them again.
                samples = samples.persist(StorageLevel.MEMORY_AND_DISK());
                if (format == Format.parquet) {
                    samples.select(SparkSampling.SAMPLE_ID, SparkSampling.VALUES).write().parquet(staging.toString());
                } else {
                    samples.map((MapFunction<Row, String>) SparkSampleCommand::csvLine, Encoders.STRING()).write().text(staging.toString());
                    renameParts(fs, staging, ".txt", ".csv");
                }
            }
            SparkMetrics m = SparkMetrics.of(samples);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (out != null) {
                samples.unpersist();
                commit(fs, staging, outPath);
            }
            String strategy = plan.strategy() + (isExact(plan.strategy()) ? "" : " (APPROXIMATE)");
            System.out.println("autospec-spark: " + model.describe() + ", " + strategy + ", seed " + plan.seed()
                    + (out == null ? "" : ", " + format + " in " + out));
            System.out.println("autospec-spark: " + m.summary(seconds));
            return 0;
        } finally {
            if (partial != null) partial.remove(); // committed: nothing left to remove
            if (ownSession) spark.stop();
        }
    }

    /** Escapes control characters in a name echoed in a message (one line). */
    private static String shown(String name) {
        return io.autospec.cli.Exits.shown(name);
    }

    /**
     * Renames the complete staging directory to --out. Locally by one rename that fails when --out
     * appeared meanwhile (another run won the name); elsewhere after a check (Hadoop's rename would
     * move the directory into an existing one).
     */
    private void commit(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path staging, org.apache.hadoop.fs.Path outPath)
            throws java.io.IOException {
        String taken = "--out " + shown(out) + " was created by something else while this run wrote its samples; they are not kept";
        if ("file".equals(outPath.toUri().getScheme())) {
            try {
                Files.move(Path.of(staging.toUri()), Path.of(outPath.toUri()));
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                throw new java.io.IOException(taken);
            }
            return;
        }
        if (fs.exists(outPath)) throw new java.io.IOException(taken);
        if (!fs.rename(staging, outPath)) throw new java.io.IOException("cannot rename " + staging + " to --out " + shown(out));
    }

    /**
     * A local --out whose parent is a regular file (or under one) cannot be made: refused before a
     * Spark session starts. A missing parent is made by the writer.
     */
    private void checkOutParent(String dir) {
        if (dir.contains("://") && !dir.startsWith("file:")) return;
        Path p;
        try {
            p = dir.startsWith("file:") ? Path.of(java.net.URI.create(dir)) : Path.of(dir).toAbsolutePath();
        } catch (RuntimeException e) {
            throw usage("--out " + shown(dir) + ": not a valid path");
        }
        for (Path up = p.getParent(); up != null; up = up.getParent()) {
            if (Files.exists(up)) {
                if (!Files.isDirectory(up)) throw usage("--out " + shown(dir) + ": " + shown(up.toString()) + " is not a directory");
                if (!Files.isWritable(up) && up.equals(p.getParent())) throw usage("--out " + shown(dir) + ": " + shown(up.toString()) + " is not writable");
                return;
            }
        }
    }

    /**
     * Sample's memory check before a session starts. On a local master the tasks share this JVM's
     * heap: the samples drawn at once are those of the task slots running together (one partition's
     * share each). A cluster's executors have heaps of their own that the driver cannot see: there
     * the check covers one partition's share when --partitions is given.
     */
    private void checkMemory(SampleCommand.Plan plan) {
        String m = master != null ? master.strip() : System.getProperty("spark.master", "local[*]");
        int slots = localSlots(m);
        int parts = partitions != null ? Math.min(partitions, Math.min(plan.samples(), MAX_PARTITIONS)) : slots > 0 ? slots : 0;
        if (parts <= 0) return;
        long share = (plan.samples() + (long) parts - 1) / parts;
        long atOnce = slots > 0 ? Math.min(plan.samples(), share * Math.min(slots, parts)) : share;
        try {
            cli.checkMemoryAtOnce((int) Math.min(Integer.MAX_VALUE, atOnce));
        } catch (CommandLine.ParameterException e) {
            throw usage(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Task slots of a local master (local: 1, local[N], local[*]: the processors), or 0 for a cluster. */
    static int localSlots(String master) {
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?\\])?").matcher(master);
        if (!local.matches()) return 0;
        if (local.group(1) == null) return 1;
        if (local.group(1).equals("*")) return Runtime.getRuntime().availableProcessors();
        try {
            return Math.max(1, Integer.parseInt(local.group(1)));
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Renames DIR/part-*SUFFIX to part-*NEW (Spark's text writer names CSV lines .txt). */
    private static void renameParts(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path dir, String suffix, String replacement)
            throws java.io.IOException {
        for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir)) {
            String name = f.getPath().getName();
            if (name.startsWith("part-") && name.endsWith(suffix)) {
                org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(dir, name.substring(0, name.length() - suffix.length()) + replacement);
                if (!fs.rename(f.getPath(), to)) throw new java.io.IOException("cannot rename " + f.getPath() + " to " + to);
            }
        }
    }

    /**
     * Why Spark would refuse this master URL (checked before a session starts, so a typo costs no
     * startup and prints no stack trace), or null. Spark's own forms: local, local[N], local[*],
     * local[N,F], local-cluster[N,C,M], spark://HOST:PORT[,HOST:PORT...], yarn, k8s://URL.
     */
    static String masterProblem(String master) {
        String m = master.strip();
        if (m.equals("local") || m.equals("yarn")) return null;
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(?:,\\s*(\\d+))?\\]").matcher(m);
        if (local.matches()) {
            if (!local.group(1).equals("*") && !positive(local.group(1))) return "the number of threads must be * or >= 1";
            if (local.group(2) != null && !positive(local.group(2))) return "the number of task failures allowed must be >= 1";
            return null;
        }
        if (m.matches("local-cluster\\[\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*\\]")) {
            for (String v : m.substring(m.indexOf('[') + 1, m.length() - 1).split(",")) {
                if (!positive(v.strip())) return "workers, cores and memory must be >= 1";
            }
            return null;
        }
        if (m.startsWith("spark://") && m.length() > "spark://".length()) return null;
        if (m.startsWith("k8s://") && m.length() > "k8s://".length()) return null;
        return "not a Spark master URL (local, local[N], local[*], local[N,F], local-cluster[N,C,M], spark://HOST:PORT, yarn, k8s://URL;"
                + " another cluster manager: set spark.master through spark-submit)";
    }

    private static boolean positive(String digits) {
        try {
            return Long.parseLong(digits) >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Spark's own log lines at WARN (hundreds of INFO lines otherwise); --verbose keeps Spark's configuration. */
    static void quietSpark() {
        try {
            org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark", org.apache.logging.log4j.Level.WARN);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.hadoop", org.apache.logging.log4j.Level.WARN);
            // A failed task's stack trace, logged by the executor, the scheduler and the writer: the run's
            // one error line says what failed (--verbose shows them).
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.executor.Executor", org.apache.logging.log4j.Level.OFF);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", org.apache.logging.log4j.Level.ERROR);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.sql.execution.datasources", org.apache.logging.log4j.Level.OFF);
        } catch (NoClassDefFoundError | RuntimeException e) {
            // another logging back end: Spark's configuration stands
        }
    }

    private static boolean isExact(String strategy) {
        return io.autospec.bench.StrategySpec.parse(strategy).strategy().exact();
    }

    /** {@code sampleId,value,value,...}, values as {@code autospec sample --out} writes them. */
    static String csvLine(Row r) {
        StringBuilder sb = new StringBuilder().append(r.getInt(0));
        for (Object v : r.getList(1)) sb.append(',').append(v);
        return sb.toString();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
