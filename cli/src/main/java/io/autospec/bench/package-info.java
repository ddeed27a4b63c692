/**
 * The {@code bench} command's sweeps, plots and strategy specs: part of the command line application,
 * <b>not a library API</b> (public types here are shared with the benchmarks project).
 */
package io.autospec.bench;
