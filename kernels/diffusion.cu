// Diffusion zoo kernels (the mixture's inner products and weighted means are cuBLAS DGEMMs);
// the math lives in diffusion_kernels.cuh (host-checkable).
#include "as_kernel.cuh"
#include "diffusion_kernels.cuh"

AS_DIFFUSION_KERNELS(AS_DEFINE_GLOBAL)
