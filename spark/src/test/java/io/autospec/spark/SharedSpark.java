package io.autospec.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One SparkSession for all of the module's tests (starting one costs seconds): two worker threads,
 * and a failed task is tried again once ({@code local[N,F]}: F = spark.task.maxFailures).
 */
final class SharedSpark {
    private SharedSpark() {}

    static synchronized SparkSession session() {
        return SparkSession.builder()
                .appName("autospec-spark tests")
                .master("local[2,2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
