/**
 * <b>Internal, not API</b>: the engine's single-threaded building blocks below the round scheduler:
 * {@link io.autospec.internal.core.Node} (a chain's position in the recursion: sample, key, depth,
 * cancel scope), {@link io.autospec.internal.core.Deferred} (the future the strategies are written
 * with), {@link io.autospec.internal.core.CancelScope} and {@link io.autospec.internal.core.Sampled}.
 * Public only because the strategies, step processes and the {@code autospec-cuda} module's device
 * models share them; they may change in any release. This package imports no API package.
 */
package io.autospec.internal.core;
