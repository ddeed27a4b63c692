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
 * {@code sample} on Spark: the options of {@code autospec sample} (taken from the CLI's command, so both
 * stay the same), except its file outputs, plus {@code --master}, {@code --partitions}, {@code --out DIR}
 * and {@code --format}.
 */
@Command(name = "sample",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Draws exact samples on Apache Spark: partition p draws a contiguous range of sample ids in one engine "
                    + "run on its executor, so the samples are those of `autospec sample` with the same seed, whatever the "
                    + "partitions, executors or task retries. Prints the run's cost summed over partitions.",
            "Models and strategies: as `autospec sample --help` lists them. Model files must be readable on every executor.",
            ""
        })
final class SparkSampleCommand implements Callable<Integer> {
    /** The CLI options this command replaces (--out writes a directory here) or has no use for. */
    private static final Set<String> NOT_TAKEN = Set.of("--out", "--report", "--progress", "--given");

    enum Format { csv, parquet }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit set, else local[*]).")
    String master;

    @Option(names = "--partitions", paramLabel = "P",
            description = "Partitions, each one engine run over a contiguous range of sample ids (default: Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the samples as part files into DIR (must not exist): CSV rows sampleId,value,value,... in id order.")
    String out;

    @Option(names = "--format", paramLabel = "NAME", defaultValue = "csv",
            description = "csv | parquet (columns sampleId, values) (default: ${DEFAULT-VALUE}).")
    Format format;

    /** The CLI's command, whose options are parsed into it. */
    private final SampleCommand cli = new SampleCommand();

    /** This command with the CLI's sample options added. */
    static CommandLine commandLine() {
        SparkSampleCommand cmd = new SparkSampleCommand();
        CommandLine cl = new CommandLine(cmd);
        CommandLine.Model.CommandSpec mine = cl.getCommandSpec();
        for (OptionSpec o : new CommandLine(cmd.cli).getCommandSpec().options()) {
            boolean clash = false;
            for (String name : o.names()) clash |= mine.findOption(name) != null;
            if (clash || NOT_TAKEN.contains(o.longestName())) continue;
            // Here threads are per task; Spark's task slots are the parallelism across tasks.
            if (o.longestName().equals("--threads")) {
                o = OptionSpec.builder(o).description("CPU backend threads per task (0 = spark.task.cpus, default 1).").build();
            }
            mine.addOption(o);
        }
        return cl;
    }

    @Override
    public Integer call() {
        SampleCommand.Plan plan;
        try {
            plan = cli.plan(name -> spec.commandLine().getParseResult().hasMatchedOption(name));
        } catch (CommandLine.ParameterException e) {
            throw usage(e.getMessage()); // reported against this command, not the CLI's
        }
        if (partitions != null && partitions < 1) throw usage("--partitions must be >= 1, got " + partitions);
        if (out != null && !out.contains("://") && Files.exists(Path.of(out))) throw usage("--out " + out + " already exists");
        ModelSource model = new ModelSource.Spec(plan.model(), plan.n(), plan.steps(), plan.delta(), plan.schedule());
        SamplingJob job;
        try {
            job = new SamplingJob(model, plan.strategy(), plan.seed(), plan.backend(), plan.threads(), plan.capacity());
            job.check(); // before a session starts: bad models cost no cluster time
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }

        boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession.Builder b = SparkSession.builder().appName("autospec sample");
        if (master != null) b.master(master);
        else if (System.getProperty("spark.master") == null) b.master("local[*]");
        SparkSession spark = b.getOrCreate();
        try {
            int p = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
            long t0 = System.nanoTime();
            Dataset<Row> samples = SparkSampling.sample(spark, job, plan.samples(), p);
            if (out != null) {
                // Kept so the metrics below reuse the drawn samples rather than drawing them again.
                samples = samples.persist(StorageLevel.MEMORY_AND_DISK());
                if (format == Format.parquet) {
                    samples.select(SparkSampling.SAMPLE_ID, SparkSampling.VALUES).write().parquet(out);
                } else {
                    samples.map((MapFunction<Row, String>) SparkSampleCommand::csvLine, Encoders.STRING()).write().text(out);
                }
            }
            SparkMetrics m = SparkMetrics.of(samples);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (out != null) samples.unpersist();
            String strategy = plan.strategy() + (isExact(plan.strategy()) ? "" : " (APPROXIMATE)");
            System.out.println("autospec-spark: " + model.describe() + ", " + strategy + ", seed " + plan.seed()
                    + (out == null ? "" : ", " + format + " in " + out));
            System.out.println("autospec-spark: " + m.summary(seconds));
            return 0;
        } finally {
            if (ownSession) spark.stop();
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
