package io.autospec.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.spark.api.java.function.FlatMapFunction;
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

    /**
     * Sums the per-partition columns of {@link SparkSampling#sample}'s result. One pass over the rows,
     * without a shuffle: each Spark partition reports the sampling partitions it holds (one, unless the
     * rows were repartitioned), merged here by partition id.
     */
    public static SparkMetrics of(Dataset<Row> samples) {
        int pCol = samples.schema().fieldIndex(SparkSampling.PARTITION);
        int[] cols = {pCol, samples.schema().fieldIndex(SparkSampling.ROUNDS), samples.schema().fieldIndex(SparkSampling.LAUNCHES),
            samples.schema().fieldIndex(SparkSampling.QUERIES), samples.schema().fieldIndex(SparkSampling.SECONDS),
            samples.schema().fieldIndex(SparkSampling.BACKEND)};
        List<Part> found = samples.javaRDD().mapPartitions((FlatMapFunction<Iterator<Row>, Part>) rows -> {
            Map<Integer, Part> parts = new HashMap<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                Part q = parts.get(r.getInt(cols[0]));
                if (q == null) {
                    parts.put(r.getInt(cols[0]), new Part(r.getInt(cols[0]), 1, r.getLong(cols[1]), r.getLong(cols[2]), r.getLong(cols[3]),
                            r.getDouble(cols[4]), r.getString(cols[5])));
                } else {
                    parts.put(q.partition, new Part(q.partition, q.samples + 1, q.rounds, q.launches, q.queries, q.seconds, q.backend));
                }
            }
            return parts.values().iterator();
        }).collect();
        Map<Integer, Part> byId = new HashMap<>();
        for (Part q : found) {
            byId.merge(q.partition, q, (a, b) -> new Part(a.partition, a.samples + b.samples, a.rounds, a.launches, a.queries, a.seconds, a.backend));
        }
        long n = 0, minR = Long.MAX_VALUE, maxR = 0, launches = 0, queries = 0;
        double secs = 0, maxSecs = 0;
        TreeSet<String> backends = new TreeSet<>();
        for (Part q : byId.values()) {
            n += q.samples;
            minR = Math.min(minR, q.rounds);
            maxR = Math.max(maxR, q.rounds);
            launches += q.launches;
            queries += q.queries;
            secs += q.seconds;
            maxSecs = Math.max(maxSecs, q.seconds);
            backends.add(q.backend);
        }
        return new SparkMetrics(n, byId.size(), byId.isEmpty() ? 0 : minR, maxR, launches, queries, secs, maxSecs, List.copyOf(backends));
    }

    /** One sampling partition's figures (the same on each of its rows) and how many of its rows were seen. */
    private record Part(int partition, long samples, long rounds, long launches, long queries, double seconds, String backend)
            implements Serializable {}

    /** One line, with the job's wall time measured by the caller. */
    public String summary(double jobSeconds) {
        return String.format(Locale.ROOT,
                "%d samples in %d partitions, %d-%d rounds per partition, %d launches, %d queries (%.1f per sample), "
                        + "engine %.3f s summed (slowest partition %.3f s), job %.3f s, %.1f samples/s, backend %s",
                samples, partitions, minRounds, maxRounds, launches, queries, samples == 0 ? 0.0 : (double) queries / samples,
                engineSeconds, maxEngineSeconds, jobSeconds, jobSeconds > 0 ? samples / jobSeconds : 0.0, String.join(" + ", backends));
    }
}
