// Portability layer: the same per-element functions compile as CUDA device code (nvcc) and as
// plain host C++ (g++), so the host test suite can check them against the Java backend without a GPU.
#ifndef AS_COMPAT_CUH
#define AS_COMPAT_CUH

#include <stdint.h>
#include <math.h>

#ifdef __CUDACC__
#define AS_HD __host__ __device__ inline
#else
#define AS_HD inline
#endif

// Kernel argument structs are passed by value as one kernel parameter. Java writes them byte by
// byte (io.autospec.cuda.Kernels), so every struct is laid out without implicit padding: 8-byte
// fields first, then 4-byte fields, padded to a multiple of 8. Each struct's size is asserted.
#define AS_ASSERT_SIZE(T, n) static_assert(sizeof(T) == (n), #T " must be " #n " bytes (see io.autospec.cuda.Kernels)")

// Index of the highest set bit of v != 0 (Java: 63 - Long.numberOfLeadingZeros(v)).
AS_HD int as_hibit64(uint64_t v) {
#ifdef __CUDA_ARCH__
    return 63 - __clzll((long long) v);
#else
    return 63 - __builtin_clzll(v);
#endif
}

// Number of set bits (Java: Long.bitCount).
AS_HD int as_popc64(uint64_t v) {
#ifdef __CUDA_ARCH__
    return __popcll(v);
#else
    return __builtin_popcountll(v);
#endif
}

// Atomics of the resident rounds (fixed_point_kernels.cuh). The host emulator runs items one after
// another, so there a plain read-modify-write is the same operation.
AS_HD void as_atomic_min_i32(int32_t* p, int32_t v) {
#ifdef __CUDA_ARCH__
    atomicMin((int*) p, (int) v);
#else
    if (v < *p) *p = v;
#endif
}

AS_HD void as_atomic_add_i32(int32_t* p, int32_t v) {
#ifdef __CUDA_ARCH__
    atomicAdd((int*) p, (int) v);
#else
    *p += v;
#endif
}

AS_HD void as_atomic_add_i64(long long* p, long long v) {
#ifdef __CUDA_ARCH__
    atomicAdd((unsigned long long*) p, (unsigned long long) v);
#else
    *p += v;
#endif
}

#endif
