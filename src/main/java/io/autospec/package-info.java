/**
 * The library's entry points: {@link io.autospec.Autospec} opens a run for a model
 * ({@link io.autospec.ArRun} for an any-order autoregressive model, {@link io.autospec.DiffusionRun}
 * for a diffusion model) and makes the strategies to run it with; a run returns a
 * {@link io.autospec.RunResult} with the samples and their cost ({@link io.autospec.core.RunMetrics}).
 *
 * <p><b>The public API</b> (its public types are pinned by {@code ApiSurfaceTest}) is: this package;
 * {@code io.autospec.core}: the strategies ({@code Strategy}, {@code SequentialSampler},
 * {@code SpeculativeSampler}, {@code Coupling}), {@code RunMetrics}, {@code RoundListener},
 * {@code MemoryTerms} and {@code OracleException}; the oracle interfaces and the read-only views they
 * are handed ({@code io.autospec.ar}: {@code ConditionalOracle}, {@code ConditionalQueries},
 * {@code PinnedContext}, {@code Branch}, {@code Order}, {@code PrefixSummary},
 * {@code ForwardingConditionalOracle}, {@code Conditioned}, {@code Vocabulary}, and the strategies
 * {@code TokenSampler}, {@code JacobiSampler}, {@code AutoSampler}; {@code io.autospec.diffusion}:
 * {@code Denoiser}, {@code DriftQueries}, {@code Schedule}, {@code PicardSampler}); the model zoo
 * ({@code io.autospec.ar.models}, {@code io.autospec.ar.models.det}, {@code io.autospec.diffusion.models});
 * the registries ({@code io.autospec.models}: {@code ModelSpec}, the {@code ModelProvider} SPI;
 * {@code io.autospec.spec}: {@code Strategies}, the {@code StrategyProvider} SPI); the backends
 * ({@code io.autospec.backend}; the CUDA backend is the provider module
 * {@code io.autospec:autospec-cuda}, whose API is {@code CudaBackend} and the device-evaluable
 * {@code MixtureSpec}/{@code BoxSpec} of {@code io.autospec.cuda}).
 *
 * <p><b>The SPI</b> (supported like the API): {@code io.autospec.spi} (the recursion's nodes, deferred
 * values, stream keys and purposes, {@code Progress}) with {@code ChainStrategy}, {@code StepProcess}
 * and {@code Speculation} of {@code io.autospec.core}, which a strategy is written with; the providers
 * {@code StrategyProvider}, {@code ModelProvider} and {@code BackendProvider}. ARCHITECTURE.md at the
 * repository's root shows how to add each.
 *
 * <p><b>Not API</b>: the packages under {@code internal} (the Philox generator, the built-in strategy
 * providers, small utilities), and the public types of API packages whose documentation says
 * <b>Internal</b> (the round scheduler, oracle requests and batch plumbing, the AR and diffusion step
 * processes): public only because the packages build on them, they may change without notice.
 */
package io.autospec;
