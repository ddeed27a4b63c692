// Determinantal-process kernels; the math lives in det_kernels.cuh (host-checkable).
#include "as_kernel.cuh"
#include "det_kernels.cuh"

AS_DET_KERNELS(AS_DEFINE_GLOBAL)
