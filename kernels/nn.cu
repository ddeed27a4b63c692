// Network kernels (io.autospec.cuda.CudaNetExecutor): the per-element math lives in nn_kernels.cuh
// (host-checkable); the matmul kernel runs its three phases with the block's shared tiles.
#include "as_kernel.cuh"
#include "nn_kernels.cuh"

AS_NN_KERNELS(AS_DEFINE_GLOBAL)

// Grid-stride over output tiles; block NN_MM_THREADS threads (the launch must use exactly that).
extern "C" __global__ void __launch_bounds__(NN_MM_THREADS) as_nn_matmul(const NnMatMulArgs a) {
    __shared__ float As[NN_MM_K][NN_MM_PAD];
    __shared__ float Bs[NN_MM_K][NN_MM_PAD];
    for (long long t = blockIdx.x; t < a.count; t += gridDim.x) {
        float acc[16];
#pragma unroll
        for (int q = 0; q < 16; q++) acc[q] = 0.0f;
        for (int k0 = 0; k0 < a.k; k0 += NN_MM_K) {
            nn_matmul_load(a, t, k0, threadIdx.x, As, Bs);
            __syncthreads();
            nn_matmul_accumulate(a, k0, threadIdx.x, As, Bs, acc);
            __syncthreads();
        }
        nn_matmul_store(a, t, threadIdx.x, acc);
    }
}
