/**
 * Any-order autoregressive models: the oracle interface ({@link io.autospec.ar.ConditionalOracle}),
 * the batch it is handed ({@link io.autospec.ar.ConditionalBatch}) and the views of a query's pinned
 * context ({@link io.autospec.ar.PinnedContext}, {@link io.autospec.ar.Branch},
 * {@link io.autospec.ar.Order}, {@link io.autospec.ar.PrefixSummary}), and the token-level strategy.
 * {@link io.autospec.ar.ArProcess} is <b>internal</b>.
 */
package io.autospec.ar;
