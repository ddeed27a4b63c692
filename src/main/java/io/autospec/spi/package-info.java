/**
 * <b>SPI</b> (supported, like the API): the building blocks of a strategy that runs on the engine.
 * {@link io.autospec.spi.Node} is a chain's place in the recursion (its random stream
 * {@link io.autospec.spi.Key}, depth and {@link io.autospec.spi.CancelScope}),
 * {@link io.autospec.spi.Deferred} the single-threaded future a strategy is written with,
 * {@link io.autospec.spi.Sampled} a draft with its log-density, {@link io.autospec.spi.Purpose} the
 * address of each draw, and {@link io.autospec.spi.Progress} what a strategy records. This package
 * imports no API package, so the engine's packages build on it.
 *
 * <p>The other extension points are interfaces of the API packages that use them (named here without
 * their package prefix, since this package sits below them): a strategy implements
 * {@code core.ChainStrategy} over a {@code core.StepProcess} and is registered by a
 * {@code spec.StrategyProvider}; a model kind is a {@code models.ModelProvider}; a backend a
 * {@code backend.BackendProvider}; a device family of the CUDA backend a {@code cuda.DeviceFamily}.
 * Each is found through {@code ServiceLoader} (one line in {@code META-INF/services});
 * ARCHITECTURE.md shows one of each.
 */
package io.autospec.spi;
