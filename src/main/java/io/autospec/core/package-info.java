/**
 * The engine shared by both settings. <b>API</b>: the strategy interface and the generic strategies
 * ({@link io.autospec.core.Strategy}, {@link io.autospec.core.SequentialSampler},
 * {@link io.autospec.core.SpeculativeSampler}), couplings ({@link io.autospec.core.Coupling}), what a
 * run cost ({@link io.autospec.core.RunMetrics}, read-only), a strategy's memory terms
 * ({@link io.autospec.core.MemoryTerms}), the per-round callback ({@link io.autospec.core.RoundListener})
 * and the error a bad oracle output raises ({@link io.autospec.core.OracleException}).
 * <b>SPI</b> (supported; the rest of it is {@code io.autospec.spi}): {@link io.autospec.core.ChainStrategy},
 * the engine's entry into a strategy ({@code Strategy} itself is opaque: name, exactness, settings),
 * and what a strategy is written against: {@link io.autospec.core.StepProcess},
 * {@link io.autospec.core.Speculation}, {@link io.autospec.core.SpanSpeculation}; a strategy records
 * through {@code RunMetrics}' {@code Progress} methods.
 * <b>Internal</b> (public only because the AR and diffusion packages and their strategies, which are
 * API, build on them; moving them under {@code internal} would close a package cycle): the round
 * scheduler, oracle requests and {@code QueryBatch} ({@code RoundScheduler}, {@code OracleRequest},
 * {@code QueryBatch}).
 */
package io.autospec.core;
