/**
 * <b>API</b>: the model registry. {@link io.autospec.models.ModelSpec} parses specifications such as
 * {@code markov:q=2,stay=0.9} through every {@link io.autospec.models.ModelProvider} on the class path
 * (found with {@code ServiceLoader}; a new kind extends {@link io.autospec.models.KeyedModelProvider}
 * and adds one line to {@code META-INF/services/io.autospec.models.ModelProvider}); every kind says
 * what it takes in memory ({@link io.autospec.models.ModelMemory}) for the check front ends make
 * before a run. <b>Internal</b>, public only for the CLI and Spark modules and the services file:
 * {@code BuiltInModels} and {@code DeterminantalModels} (the library's own kinds; the latter typed by
 * the models they build, for pictures and anchors).
 */
package io.autospec.models;
