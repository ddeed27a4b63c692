package io.autospec.cuda;

import jcuda.driver.CUresult;

/**
 * Which image of a kernel module a GPU runs, decided by whether the driver loads it rather than by a
 * driver version number: the fatbin first (SASS for sm_80/sm_90, PTX ISA 9.0 for newer GPUs: a
 * CUDA 13 driver); when the driver refuses it as too new or as having nothing for this GPU, the
 * portable PTX (ISA 8.0, target sm_75), which any CUDA 12.0+ driver JIT-compiles. Both are compiled
 * with {@code --fmad=false} and every f64 add/sub/mul in the PTX carries an explicit rounding mode,
 * so the two paths round alike. Any other failure is reported as it is (no second guess).
 */
final class ModuleLoading {
    private ModuleLoading() {}

    /** Loads one image into the current context; returns a CUresult code. */
    interface Loader {
        int load(byte[] image);
    }

    /** The image that loaded ("fatbin" or "ptx") and, for "ptx", why the fatbin was refused. */
    record Loaded(String image, String fatbinRefusal) {}

    /** Whether a fatbin failure means "try the portable PTX": the driver cannot use this fatbin. */
    static boolean refusesImage(int rc) {
        return rc == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION // "compiled with an unsupported toolchain"
                || rc == CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU
                || rc == CUresult.CUDA_ERROR_INVALID_IMAGE    // e.g. a compressed fatbin an old driver cannot read
                || rc == CUresult.CUDA_ERROR_INVALID_PTX;
    }

    static Loaded load(Kernels.Module m, Loader loader) {
        int rc = loader.load(m.fatbin());
        if (rc == CUresult.CUDA_SUCCESS) return new Loaded("fatbin", null);
        if (!refusesImage(rc)) throw JCudaDevice.failure(rc, "cuModuleLoadData(" + m.name() + ".fatbin)");
        String refusal = CUresult.stringFor(rc);
        int ptx = loader.load(m.ptx());
        if (ptx == CUresult.CUDA_SUCCESS) return new Loaded("ptx", refusal);
        throw JCudaDevice.failure(ptx, "cuModuleLoadData(" + m.name() + ".ptx) after the driver refused " + m.name() + ".fatbin ("
                + refusal + ")" + (refusesImage(ptx) ? ": the NVIDIA driver must support CUDA 12.0 or newer (>= 525) and the GPU be sm_75 or newer" : ""));
    }
}
