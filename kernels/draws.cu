// Random draws of the host engine on the device; the math lives in draw_kernels.cuh and philox.cuh.
#include "as_kernel.cuh"
#include "draw_kernels.cuh"

AS_DRAW_KERNELS(AS_DEFINE_GLOBAL)
