/**
 * <b>API</b>: the model registry. {@link io.autospec.models.ModelSpec} parses specifications such as
 * {@code markov:q=2,stay=0.9} through every {@link io.autospec.models.ModelProvider} on the class path
 * (found with {@code ServiceLoader}; a new kind extends {@link io.autospec.models.KeyedModelProvider}
 * and adds one line to {@code META-INF/services/io.autospec.models.ModelProvider}).
 * <b>Internal</b>, public only for the CLI and Spark modules and the services file:
 * {@code BuiltInModels} (the library's own kinds) and {@code DeterminantalModels} (the CLI's
 * determinantal helpers).
 */
package io.autospec.models;
