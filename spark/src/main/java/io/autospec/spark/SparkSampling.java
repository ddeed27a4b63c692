package io.autospec.spark;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.RunSettings;
import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import io.autospec.bench.StrategySpec;
import io.autospec.core.RunMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Exact sampling on Apache Spark. A sample depends only on (seed, sample id, model, strategy), so
 * partition p draws the contiguous id range [start(p), start(p+1)) in one engine run on its executor
 * ({@link RunSettings#firstSampleId(int)}), and the union of the partitions is bit for bit the run of
 * one machine with the same seed. A lost or retried partition is recomputed to the same samples.
 *
 * <p>The result has one row per sample: {@value #SAMPLE_ID}, {@value #VALUES} (int positions of an AR
 * sample, or the double coordinates of a diffusion sample), and the cost of the sample's partition
 * ({@value #PARTITION}, {@value #ROUNDS}, {@value #LAUNCHES}, {@value #QUERIES}, {@value #SECONDS}, {@value #BACKEND}),
 * the same on every row of a partition; {@link SparkMetrics#of} sums them over partitions.
 */
public final class SparkSampling {
    public static final String SAMPLE_ID = "sampleId";
    public static final String VALUES = "values";
    public static final String PARTITION = "partition";
    public static final String ROUNDS = "rounds";
    public static final String LAUNCHES = "launches";
    public static final String QUERIES = "queries";
    public static final String SECONDS = "seconds";
    public static final String BACKEND = "backend";

    /** Test-only: sees each task start and finish its engine run (local mode runs tasks in this JVM). */
    interface TaskHook {
        void started(int partition, int attempt);

        void drawn(int partition, int attempt);
    }

    static volatile TaskHook testHook;

    private SparkSampling() {}

    /** {@code samples} samples of a model with a strategy ({@link StrategySpec} text) on the auto backend. */
    public static Dataset<Row> sample(SparkSession spark, ModelSource model, String strategy, int samples, long seed, int partitions) {
        return sample(spark, SamplingJob.of(model, strategy, seed), samples, partitions);
    }

    /**
     * Samples ids 0..samples-1 in {@code partitions} partitions. The model and strategy are checked
     * here, on the driver, before any task starts: bad settings throw {@link IllegalArgumentException}
     * with the engine's message. The Dataset is lazy: each action recomputes it unless persisted.
     */
    public static Dataset<Row> sample(SparkSession spark, SamplingJob job, int samples, int partitions) {
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        ModelSource.Model model = job.check();
        StructType schema = new StructType()
                .add(SAMPLE_ID, DataTypes.IntegerType, false)
                .add(VALUES, DataTypes.createArrayType(model.diffusion() ? DataTypes.DoubleType : DataTypes.IntegerType, false), false)
                .add(PARTITION, DataTypes.IntegerType, false)
                .add(ROUNDS, DataTypes.LongType, false)
                .add(LAUNCHES, DataTypes.LongType, false)
                .add(QUERIES, DataTypes.LongType, false)
                .add(SECONDS, DataTypes.DoubleType, false)
                .add(BACKEND, DataTypes.StringType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // One element per slice: partition p holds the single number p.
        JavaRDD<Integer> parts = jsc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions);
        JavaRDD<Row> rows = parts.flatMap(new DrawRange(job, samples, partitions));
        return spark.createDataFrame(rows, schema);
    }

    /** The first sample id of partition p; partition p draws [rangeStart(p), rangeStart(p + 1)). */
    static int rangeStart(int p, int samples, int partitions) {
        return (int) ((long) p * samples / partitions);
    }

    /** Sample ids [first, first + count) of the job in one engine run on {@code backend}. */
    static RunResult<?> draw(SamplingJob job, ModelSource.Model model, Backend backend, int first, int count) {
        return model.diffusion()
                ? configure(Autospec.diffusion(model.denoiser(), model.schedule()), job, backend, first).sample(count)
                : configure(Autospec.autoregressive(model.oracle()), job, backend, first).sample(count);
    }

    private static <S extends RunSettings<S>> S configure(S run, SamplingJob job, Backend backend, int first) {
        run.strategy(StrategySpec.parse(job.strategy()).strategy()).seed(job.seed()).backend(backend).firstSampleId(first);
        if (job.capacity() != null) run.capacity(job.capacity());
        return run;
    }

    /** What runs on an executor: one partition's id range, in one engine run. */
    private static final class DrawRange implements FlatMapFunction<Integer, Row> {
        private static final long serialVersionUID = 1L;
        private final SamplingJob job;
        private final int samples;
        private final int partitions;

        DrawRange(SamplingJob job, int samples, int partitions) {
            this.job = job;
            this.samples = samples;
            this.partitions = partitions;
        }

        @Override
        public Iterator<Row> call(Integer partition) {
            int p = partition;
            int lo = rangeStart(p, samples, partitions), hi = rangeStart(p + 1, samples, partitions);
            if (lo == hi) return Collections.emptyIterator();
            TaskContext task = TaskContext.get();
            int attempt = task == null ? 0 : task.attemptNumber();
            TaskHook hook = testHook;
            if (hook != null) hook.started(p, attempt);
            ModelSource.Model model = job.model().open();
            RunResult<?> r;
            // Threads 0: the task's CPU share (spark.task.cpus), not the whole executor's processors.
            int threads = job.threads() > 0 ? job.threads() : task != null ? task.cpus() : 0;
            try (Backend b = Backends.open(job.backend(), threads, gpuOf(task))) {
                r = draw(job, model, b, lo, hi - lo);
            }
            if (hook != null) hook.drawn(p, attempt);
            RunMetrics m = r.metrics();
            List<Row> out = new ArrayList<>(hi - lo);
            for (int i = 0; i < hi - lo; i++) {
                out.add(RowFactory.create(lo + i, r.samples().get(i), p, m.rounds(), m.launches(), m.queries(), m.wallSeconds(), r.backend()));
            }
            return out.iterator();
        }

        /** The CUDA device Spark assigned this task ({@code spark.task.resource.gpu.amount}), else 0. */
        private static int gpuOf(TaskContext task) {
            if (task == null) return 0;
            ResourceInformation gpu = task.resourcesJMap().get("gpu");
            if (gpu == null || gpu.addresses().length == 0) return 0;
            try {
                return Integer.parseInt(gpu.addresses()[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("GPU address '" + gpu.addresses()[0]
                        + "' from the discovery script is not a CUDA device ordinal", e);
            }
        }
    }
}
