/* A stand-in libcublas.so.13 for checking the forwarding shim without CUDA: a handful of cuBLAS
 * entry points that answer with recognisable values (see ShimCheck.java). */
#include <stddef.h>

#define HANDLE ((void *) 0xA5A5)

int cublasCreate_v2(void **handle) {
    *handle = HANDLE;
    return 0;
}

int cublasDestroy_v2(void *handle) {
    return handle == HANDLE ? 0 : 7;
}

int cublasGetVersion_v2(void *handle, int *version) {
    *version = 130099;
    return handle == HANDLE ? 0 : 7;
}

int cublasSetStream_v2(void *handle, void *stream) {
    (void) stream;
    return handle == HANDLE ? 0 : 7;
}

/* 0 only if every argument arrived where the cuBLAS ABI puts it (6 in registers, 8 on the stack). */
int cublasDgemm_v2(void *handle, int ta, int tb, int m, int n, int k, const double *alpha, const double *a, int lda,
                   const double *b, int ldb, const double *beta, double *c, int ldc) {
    (void) a;
    (void) b;
    (void) c;
    return handle == HANDLE && ta == 1 && tb == 0 && m == 3 && n == 4 && k == 5 && *alpha == 2.5 && lda == 7 && ldb == 8
                   && *beta == 0.5 && ldc == 9
               ? 0
               : 7;
}
