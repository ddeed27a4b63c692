/**
 * <b>API</b>: backends evaluate each launch of a round's batch. {@link io.autospec.backend.Backends#open}
 * picks CPU or a provider found through {@code ServiceLoader} ({@link io.autospec.backend.BackendProvider};
 * CUDA is the {@code autospec-cuda} module), {@link io.autospec.backend.CpuBackend} runs on Java threads.
 * A backend owns threads or device memory: close it.
 */
package io.autospec.backend;
