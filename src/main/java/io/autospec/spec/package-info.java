/**
 * <b>API</b>: the registries of the library's extension points and their one grammar,
 * {@code NAME[:key=value,...]}. {@link io.autospec.spec.Strategies} lists every
 * {@link io.autospec.spec.StrategyProvider} on the class path (the library's strategies are
 * registered like any other) and builds a strategy from its spec; front ends (the CLI's
 * {@code sample} and {@code bench}, the Spark module) parse {@code --strategy} with it and print its
 * help lines. Adding a strategy is its class, a provider, and one line in
 * {@code META-INF/services/io.autospec.spec.StrategyProvider}.
 */
package io.autospec.spec;
