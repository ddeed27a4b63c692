package io.autospec.cuda.spi;

/**
 * One drift launch: {@code count} queries of dimension {@code d} in {@code items} work items, and
 * the device addresses of their times (one double each), points (d doubles each), drifts (d doubles
 * each) and scratch (the model's doubles per query).
 */
public record DriftLaunch(long count, long items, int d, long times, long points, long out, long scratch) {}
