/**
 * Backends evaluate each launch of a round's batch: {@link io.autospec.backend.Backends#open} picks
 * CPU or CUDA, {@link io.autospec.backend.CpuBackend} runs on Java threads. A backend owns threads or
 * device memory: close it.
 */
package io.autospec.backend;
