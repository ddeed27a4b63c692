/**
 * Any-order autoregressive models. <b>API</b>: the oracle interface
 * ({@link io.autospec.ar.ConditionalOracle}) and the read-only view of a round's queries it is handed
 * ({@link io.autospec.ar.ConditionalQueries}), the views of a query's pinned context
 * ({@link io.autospec.ar.PinnedContext}, {@link io.autospec.ar.Branch}, {@link io.autospec.ar.Order},
 * {@link io.autospec.ar.PrefixSummary}), oracle wrappers ({@link io.autospec.ar.ForwardingConditionalOracle},
 * {@link io.autospec.ar.Conditioned}, {@link io.autospec.ar.Vocabulary}), the backend SPI's AR half
 * ({@link io.autospec.ar.ConditionalEvaluator}) and the AR strategies
 * ({@link io.autospec.ar.TokenSampler}, {@link io.autospec.ar.JacobiSampler},
 * {@link io.autospec.ar.AutoSampler}). <b>Internal</b>: {@link io.autospec.ar.ArProcess} (the AR step
 * process) and {@link io.autospec.ar.ConditionalBatch}'s mutators ({@code add}, {@code out}), which
 * the engine and the backends use; an oracle sees only {@code ConditionalQueries}.
 */
package io.autospec.ar;
