// Runs the device math (kernels/nn_math.cuh, compiled for the host with -ffp-contract=off, as nvcc
// compiles it with --fmad=false) over the inputs FloatMathTest writes, for the bit comparison with
// io.autospec.nn.FloatMath.
//
// Usage: nn_math_driver IN OUT. IN: int32 n, then n floats x, then n floats y (little-endian).
// OUT: n floats for each of exp, log, erf, tanh, sigmoid, sin, cos, sqrt, gelu of x, then pow(x, y).
#include <cstdio>
#include <vector>

#include "nn_math.cuh"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: nn_math_driver IN OUT\n");
        return 2;
    }
    FILE* in = std::fopen(argv[1], "rb");
    if (!in) return 3;
    int32_t n = 0;
    if (std::fread(&n, 4, 1, in) != 1 || n < 0) return 4;
    std::vector<float> x(n), y(n), out((size_t) n * 10);
    if (std::fread(x.data(), 4, n, in) != (size_t) n || std::fread(y.data(), 4, n, in) != (size_t) n) return 5;
    std::fclose(in);
    float (*const unary[])(float) = {nn_exp, nn_log, nn_erf, nn_tanh, nn_sigmoid, nn_sin, nn_cos, nn_sqrt, nn_gelu};
    for (int f = 0; f < 9; f++)
        for (int32_t i = 0; i < n; i++) out[(size_t) f * n + i] = unary[f](x[i]);
    for (int32_t i = 0; i < n; i++) out[(size_t) 9 * n + i] = nn_pow(x[i], y[i]);
    FILE* o = std::fopen(argv[2], "wb");
    if (!o || std::fwrite(out.data(), 4, out.size(), o) != out.size() || std::fclose(o) != 0) return 6;
    return 0;
}
