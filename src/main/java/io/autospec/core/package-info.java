/**
 * The engine shared by both settings: the strategies ({@link io.autospec.core.SequentialSampler},
 * {@link io.autospec.core.SpeculativeSampler}), what a run cost ({@link io.autospec.core.RunMetrics},
 * read-only), the per-round callback ({@link io.autospec.core.RoundListener}) and the error a bad
 * oracle output raises ({@link io.autospec.core.OracleException}) are API. The round scheduler, oracle
 * requests and batches, nodes, deferred values, step processes and speculations are <b>internal</b>:
 * public only because the AR and diffusion packages build on them.
 */
package io.autospec.core;
