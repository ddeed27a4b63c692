// AR zoo kernels; the math lives in ar_kernels.cuh (host-checkable).
#include "as_kernel.cuh"
#include "ar_kernels.cuh"

AS_AR_KERNELS(AS_DEFINE_GLOBAL)
