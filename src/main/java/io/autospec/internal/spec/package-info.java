/**
 * <b>Internal, not API</b>: the library's own strategies as {@link io.autospec.spec.StrategyProvider}s
 * (registered through {@code META-INF/services}); public only because {@code ServiceLoader} providers
 * must be. Use {@link io.autospec.spec.Strategies}.
 */
package io.autospec.internal.spec;
