// Device-resident rounds (io.autospec.cuda.ResidentRun): fixed points (sequential, jacobi) and token
// windows; the logic lives in fixed_point_kernels.cuh and token_kernels.cuh.
#include "as_kernel.cuh"
#include "fixed_point_kernels.cuh"
#include "token_kernels.cuh"

AS_FIXED_POINT_KERNELS(AS_DEFINE_GLOBAL)
AS_TOKEN_KERNELS(AS_DEFINE_GLOBAL)
