/**
 * The library's own strategies as {@link io.autospec.spec.StrategyProvider}s (registered through
 * {@code META-INF/services}); not API: use {@link io.autospec.spec.Strategies}.
 */
package io.autospec.spec.builtin;
