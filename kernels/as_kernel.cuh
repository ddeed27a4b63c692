// Turns an item function into a CUDA kernel: `name(const Args a)` runs `name_item(a, i)` for every
// i in [0, a.count) with a grid-stride loop, so any grid size covers the whole range. The host
// emulator (cuda/src/test/native/device_emulator.cpp) runs the same item functions over the same grid.
#ifndef AS_KERNEL_CUH
#define AS_KERNEL_CUH

#include "as_compat.cuh"

#define AS_DEFINE_GLOBAL(name, Args)                                                          \
    extern "C" __global__ void name(const Args a) {                                           \
        long long stride = (long long) gridDim.x * blockDim.x;                                 \
        for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < a.count; i += stride) \
            name##_item(a, i);                                                                 \
    }

#endif
