// AR zoo kernels and the validation of their rows; the math lives in ar_kernels.cuh and
// validate_kernels.cuh (host-checkable).
#include "as_kernel.cuh"
#include "ar_kernels.cuh"
#include "validate_kernels.cuh"

AS_AR_KERNELS(AS_DEFINE_GLOBAL)
AS_VALIDATE_KERNELS(AS_DEFINE_GLOBAL)
