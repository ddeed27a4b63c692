package io.autospec.cli;

import picocli.CommandLine.Option;

/** {@code --threads}: CPU backend threads, as {@code sample}, {@code bench} and Spark declare it (a picocli mixin). */
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
            description = "CPU backend threads, 0.." + Limits.MAX_THREADS + " (0 = all processors).")
    int threads;
}
