// Device-resident rounds of fixed-point runs; the logic lives in fixed_point_kernels.cuh.
#include "as_kernel.cuh"
#include "fixed_point_kernels.cuh"

AS_FIXED_POINT_KERNELS(AS_DEFINE_GLOBAL)
