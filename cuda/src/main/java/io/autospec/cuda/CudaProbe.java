package io.autospec.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Whether CUDA can be used here, decided once per JVM: the jar carries kernels, the JCuda native
 * library loads (it needs libcuda.so.1 from an NVIDIA driver), cuInit succeeds and a device is visible.
 * Whether the driver is new enough is not guessed from its version number: opening the device loads
 * the kernel modules, falling back from the fatbin to the portable PTX ({@link ModuleLoading}), and
 * says what failed if neither loads. Loading JCuda without a driver throws
 * UnsatisfiedLinkError the first time and NoClassDefFoundError afterwards, so the first
 * {@link LinkageError} is caught here and its reason remembered.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class CudaProbe {
    /** The outcome: available, or a one-line reason (and the error behind it, if any). */
    public record Result(boolean available, String reason, String device, Throwable cause) {}

    private static Result cached;

    private CudaProbe() {}

    /** Probes once; later calls return the remembered result. */
    public static synchronized Result probe() {
        if (cached == null) cached = run();
        return cached;
    }

    private static Result run() {
        if (!Kernels.present()) {
            return no("this autospec jar has no CUDA kernels (it was built without nvcc)", null);
        }
        try {
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                return no("cuInit failed: " + CUresult.stringFor(rc) + " (no usable NVIDIA driver or GPU)", null);
            }
            int[] count = new int[1];
            rc = JCudaDriver.cuDeviceGetCount(count);
            if (rc != CUresult.CUDA_SUCCESS) return no("cuDeviceGetCount failed: " + CUresult.stringFor(rc), null);
            if (count[0] == 0) return no("no CUDA device is visible", null);
            CUdevice d = new CUdevice();
            byte[] name = new byte[256];
            String device = "device 0";
            if (JCudaDriver.cuDeviceGet(d, 0) == CUresult.CUDA_SUCCESS
                    && JCudaDriver.cuDeviceGetName(name, name.length, d) == CUresult.CUDA_SUCCESS) {
                device = new String(name, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
            }
            int[] version = new int[1];
            String driver = JCudaDriver.cuDriverGetVersion(version) == CUresult.CUDA_SUCCESS
                    ? ", driver for CUDA " + version[0] / 1000 + "." + version[0] % 1000 / 10 : "";
            return new Result(true, null, device + " (" + count[0] + " device" + (count[0] == 1 ? "" : "s") + driver + ")", null);
        } catch (LinkageError e) {
            return no("the JCuda native library did not load: " + summarize(e), e);
        }
    }

    private static Result no(String reason, Throwable cause) {
        return new Result(false, reason, null, cause);
    }

    private static final Pattern SO_CAUSE = Pattern.compile("\\.so[.0-9]*: (.+)$");

    /** One line from a native-library error: the loader's reason ("libcuda.so.1: cannot open ..."). */
    static String summarize(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = t.getMessage();
            if (msg == null) continue;
            for (String line : msg.split("\n")) {
                Matcher m = SO_CAUSE.matcher(line.strip());
                if (m.find()) return m.group(1);
            }
        }
        String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage().split("\n")[0];
        return e.getClass().getSimpleName() + ": " + msg;
    }
}
