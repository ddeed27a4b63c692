package io.autospec.nn;

import java.util.Optional;

/**
 * A device that can run plans, found with {@link java.util.ServiceLoader} (autospec-cuda registers
 * "cuda" in META-INF/services/io.autospec.nn.ExecutorProvider). The host executor is always there and
 * is not a provider.
 */
public interface ExecutorProvider {

    /** The evaluator's name, e.g. "cuda". */
    String name();

    /** Empty when a device is usable here, else one line saying why not (no driver, no GPU, no kernels). */
    Optional<String> unavailable();

    /** Uploads the plan's constants and allocates its slots on the device. */
    Executor open(Plan plan);
}
