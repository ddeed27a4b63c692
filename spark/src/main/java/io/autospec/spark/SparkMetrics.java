package io.autospec.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A Spark run's cost, over its partitions: each partition is one engine run with its own rounds
 * (partitions run side by side, so the run takes as many rounds as its busiest partition).
 *
 * @param samples         rows (samples) in the result
 * @param partitions      partitions that drew at least one sample
 * @param minRounds       fewest rounds of a partition
 * @param maxRounds       most rounds of a partition
 * @param launches        batched evaluations, summed over partitions
 * @param queries         oracle queries, summed over partitions
 * @param engineSeconds   engine wall time summed over partitions (task time, not the job's)
 * @param maxEngineSeconds the slowest partition's engine time
 * @param backends        the backends the partitions ran on
 */
public record SparkMetrics(long samples, int partitions, long minRounds, long maxRounds, long launches, long queries,
                           double engineSeconds, double maxEngineSeconds, List<String> backends) {

    /** Sums the per-partition columns of {@link SparkSampling#sample}'s result (one small Spark job). */
    public static SparkMetrics of(Dataset<Row> samples) {
        List<Row> parts = samples.groupBy(col(SparkSampling.PARTITION))
                .agg(count("*"), first(SparkSampling.ROUNDS),
                        first(SparkSampling.LAUNCHES), first(SparkSampling.QUERIES),
                        first(SparkSampling.SECONDS), first(SparkSampling.BACKEND))
                .collectAsList();
        long n = 0, minR = Long.MAX_VALUE, maxR = 0, launches = 0, queries = 0;
        double secs = 0, maxSecs = 0;
        TreeSet<String> backends = new TreeSet<>();
        for (Row r : parts) {
            n += r.getLong(1);
            minR = Math.min(minR, r.getLong(2));
            maxR = Math.max(maxR, r.getLong(2));
            launches += r.getLong(3);
            queries += r.getLong(4);
            secs += r.getDouble(5);
            maxSecs = Math.max(maxSecs, r.getDouble(5));
            backends.add(r.getString(6));
        }
        return new SparkMetrics(n, parts.size(), parts.isEmpty() ? 0 : minR, maxR, launches, queries, secs, maxSecs, List.copyOf(backends));
    }

    /** One line, with the job's wall time measured by the caller. */
    public String summary(double jobSeconds) {
        return String.format(Locale.ROOT,
                "%d samples in %d partitions, %d-%d rounds per partition, %d launches, %d queries (%.1f per sample), "
                        + "engine %.3f s summed (slowest partition %.3f s), job %.3f s, %.1f samples/s, backend %s",
                samples, partitions, minRounds, maxRounds, launches, queries, samples == 0 ? 0.0 : (double) queries / samples,
                engineSeconds, maxEngineSeconds, jobSeconds, jobSeconds > 0 ? samples / jobSeconds : 0.0, String.join(" + ", backends));
    }
}
