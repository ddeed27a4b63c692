/**
 * The engine shared by both settings. <b>API</b>: the strategy interface and the generic strategies
 * ({@link io.autospec.core.Strategy}, {@link io.autospec.core.SequentialSampler},
 * {@link io.autospec.core.SpeculativeSampler}), couplings ({@link io.autospec.core.Coupling}), what a
 * run cost ({@link io.autospec.core.RunMetrics}, read-only), a strategy's memory terms
 * ({@link io.autospec.core.MemoryTerms}), the per-round callback ({@link io.autospec.core.RoundListener})
 * and the error a bad oracle output raises ({@link io.autospec.core.OracleException}).
 * <b>Internal</b> (public only because the AR and diffusion packages and their strategies, which are
 * API, build on them; moving them under {@code internal} would close a package cycle): the round
 * scheduler, oracle requests, {@code QueryBatch}, step processes and speculations
 * ({@code RoundScheduler}, {@code OracleRequest}, {@code QueryBatch}, {@code StepProcess},
 * {@code Speculation}, {@code SpanSpeculation}) and {@code ChainStrategy}, the engine's entry into a
 * strategy ({@code Strategy} itself is opaque: name, exactness, settings).
 */
package io.autospec.core;
