/**
 * The library's entry points: {@link io.autospec.Autospec} opens a run for a model
 * ({@link io.autospec.ArRun} for an any-order autoregressive model, {@link io.autospec.DiffusionRun}
 * for a diffusion model) and makes the strategies to run it with; a run returns a
 * {@link io.autospec.RunResult} with the samples and their cost ({@link io.autospec.core.RunMetrics}).
 *
 * <p><b>The public API</b> is: this package; in {@code io.autospec.core} the strategies
 * ({@code Strategy}, {@code SequentialSampler}, {@code SpeculativeSampler}), {@code RunMetrics},
 * {@code RoundListener} and {@code OracleException}; the oracle interfaces and what they read
 * ({@code io.autospec.ar}: {@code ConditionalOracle}, {@code ConditionalBatch}, {@code PinnedContext},
 * {@code Branch}, {@code Order}, {@code PrefixSummary}, {@code ForwardingConditionalOracle};
 * {@code io.autospec.diffusion}: {@code Denoiser}, {@code DriftBatch}, {@code Schedule}); the model
 * zoo ({@code io.autospec.ar.models}, {@code io.autospec.diffusion.models}, {@code io.autospec.models});
 * the backends ({@code io.autospec.backend}; the CUDA backend is the provider module
 * {@code io.autospec:autospec-cuda}, whose API is {@code CudaBackend} and the device-evaluable
 * {@code MixtureSpec}/{@code BoxSpec} of {@code io.autospec.cuda}). Public types whose documentation
 * says <b>Internal</b> are engine machinery shared between packages (the round scheduler, requests
 * and batch plumbing, the recursion's nodes and deferred values, the step processes, the random
 * streams): they may change without notice.
 */
package io.autospec;
