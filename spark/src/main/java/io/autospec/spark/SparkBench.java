package io.autospec.spark;

import io.autospec.RunResult;
import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Samples per second against partitions, per Spark master: for each master a session is started, one
 * run warms it up (class loading, code generation), then each partition count is timed {@code --repeats}
 * times (median reported). A run is {@link SparkSampling#sample} plus {@link SparkMetrics#of}, which
 * draws every sample and brings the cost to the driver. The first line is the same job on this JVM
 * without Spark, for reference. On a cluster: {@code spark-submit --class io.autospec.spark.SparkBench
 * autospec-spark.jar --masters '' ...} (an empty master keeps spark-submit's).
 */
@Command(name = "spark-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Samples per second vs partitions on Spark masters.")
public final class SparkBench implements Callable<Integer> {
    @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]", description = "Masters (default: ${DEFAULT-VALUE}).")
    List<String> masters;

    @Option(names = "--partitions", split = ",", defaultValue = "1,2,4,8", description = "Partition counts (default: ${DEFAULT-VALUE}).")
    List<Integer> partitions;

    @Option(names = "--model", defaultValue = "markov:q=2,stay=0.9", description = "Model spec (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--n", defaultValue = "256", description = "AR length (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--strategy", defaultValue = "speculative", description = "Strategy spec (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--samples", defaultValue = "2048", description = "Samples per run (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--threads", defaultValue = "1", description = "CPU backend threads per task (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--backend", defaultValue = "cpu", description = "auto | cpu | cuda (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs per point; the median is printed (default: ${DEFAULT-VALUE}).")
    int repeats;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkBench()).execute(args));
    }

    @Override
    public Integer call() {
        ModelSource source = ModelSource.spec(model, n);
        SamplingJob job = new SamplingJob(source, strategy, 1, backend, threads, null);
        ModelSource.Model m = job.check();
        System.out.printf(Locale.ROOT, "model %s, strategy %s, %d samples, backend %s, %d thread(s) per task, median of %d%n",
                m.describe(), strategy, samples, backend, threads, repeats);
        System.out.printf(Locale.ROOT, "%-14s %10s %12s %10s %12s %12s%n", "master", "partitions", "rounds(max)", "job s", "samples/s", "engine s");
        double[] t = new double[repeats];
        long rounds = 0;
        for (int r = -1; r < repeats; r++) {
            long t0 = System.nanoTime();
            RunResult<?> res = oneMachine(job, m);
            if (r >= 0) t[r] = (System.nanoTime() - t0) * 1e-9;
            rounds = res.metrics().rounds();
        }
        double med = median(t);
        System.out.printf(Locale.ROOT, "%-14s %10s %12d %10.3f %12.1f %12s%n", "(no Spark)", "-", rounds, med, samples / med, "");
        for (String master : masters) {
            SparkSession.Builder b = SparkSession.builder().appName("autospec spark-bench").config("spark.ui.enabled", "false");
            if (!master.isEmpty()) b.master(master);
            SparkSession spark = b.getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                SparkMetrics.of(SparkSampling.sample(spark, job, samples, partitions.get(0))); // warm-up
                for (int p : partitions) {
                    SparkMetrics last = null;
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        last = SparkMetrics.of(SparkSampling.sample(spark, job, samples, p));
                        t[r] = (System.nanoTime() - t0) * 1e-9;
                    }
                    med = median(t);
                    System.out.printf(Locale.ROOT, "%-14s %10d %12d %10.3f %12.1f %12.3f%n", master.isEmpty() ? spark.sparkContext().master() : master,
                            p, last.maxRounds(), med, samples / med, last.engineSeconds());
                }
            } finally {
                spark.stop();
            }
        }
        return 0;
    }

    private RunResult<?> oneMachine(SamplingJob job, ModelSource.Model m) {
        try (Backend b = Backends.open(backend, threads)) {
            return SparkSampling.draw(job, m, b, 0, samples);
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
