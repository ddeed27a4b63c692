package io.autospec.cuda;

import io.autospec.nn.Executor;
import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.NnException;
import io.autospec.nn.Plan;
import java.util.Optional;

/**
 * Plans on the GPU ({@link CudaNetExecutor} on device 0), registered in
 * {@code META-INF/services/io.autospec.nn.ExecutorProvider}. Whether CUDA is usable is the backend's
 * own probe ({@link CudaProbe}: kernels in the jar, the JCuda native library, a driver and a device);
 * when it is not, {@link #unavailable} says why in one line and {@link #open} throws an
 * {@link NnException} with that line (never a LinkageError).
 */
public final class CudaExecutorProvider implements ExecutorProvider {
    /** For {@link java.util.ServiceLoader}. */
    public CudaExecutorProvider() {}

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Optional<String> unavailable() {
        CudaProbe.Result probe = CudaProbe.probe();
        return probe.available() ? Optional.empty() : Optional.of(probe.reason());
    }

    @Override
    public Executor open(Plan plan) {
        Optional<String> why = unavailable();
        if (why.isPresent()) throw new NnException("cuda is not available: " + why.get());
        Device device;
        try {
            device = JCudaDevice.open(0);
        } catch (CudaException e) {
            throw new NnException("cuda: opening the GPU failed: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new NnException("cuda: the JCuda native library did not load: " + CudaProbe.summarize(e), e);
        }
        return CudaNetExecutor.open(plan, device, true);
    }
}
