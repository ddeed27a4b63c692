// A host emulator of the CUDA device the backend drives: it runs the kernels' __host__ __device__
// item functions (kernels/*_kernels.cuh, compiled here by the host compiler with the same
// --fmad=false semantics: -ffp-contract=off) over the same grid-stride loop as the CUDA kernels
// (the network matmul: its load / accumulate / store phases, thread by thread, with the same tiles),
// behind a tiny binary protocol on stdin/stdout. The Java tests (io.autospec.cuda.EmulatedDevice)
// run the whole CUDA backend against it, so packing, arenas, splitting, argument structs and the
// kernel math are checked without a GPU. Built with AddressSanitizer when available, so an
// out-of-bounds access by a kernel fails the test like compute-sanitizer would.
//
// Usage: device_emulator CAPACITY_BYTES
// Requests (little-endian): u8 op, payload; replies: u8 status (0 ok; 1 error: u32 length, message), payload.
//   1 ALLOC  u64 bytes                 -> u64 address (0: out of memory)
//   2 FREE   u64 address
//   3 HTOD   u64 address, u64 n, n bytes
//   4 DTOH   u64 address, u64 n        -> n bytes
//   5 LAUNCH u32 name length, name, u32 grid, u32 block, u32 args length, args
//   7 INFO                             -> u64 live bytes, u64 live allocations, u64 capacity
//   8 QUIT
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "ar_kernels.cuh"
#include "det_kernels.cuh"
#include "diffusion_kernels.cuh"
#include "draw_kernels.cuh"
#include "fixed_point_kernels.cuh"
#include "token_kernels.cuh"
#include "nn_kernels.cuh"
#include "validate_kernels.cuh"

namespace {

struct Kernel {
    const char* name;
    size_t argSize;
    void (*run)(const void* args, unsigned grid, unsigned block);
    unsigned block; // the block size the kernel requires (0: any)
};

// The CUDA grid-stride loop of AS_DEFINE_GLOBAL, block by block, thread by thread.
#define AS_EMULATE(name, Args)                                                                   \
    {#name, sizeof(Args), [](const void* p, unsigned grid, unsigned block) {                     \
         Args a;                                                                                 \
         std::memcpy(&a, p, sizeof a);                                                           \
         long long stride = (long long) grid * block;                                            \
         for (unsigned b = 0; b < grid; b++)                                                     \
             for (unsigned t = 0; t < block; t++)                                                \
                 for (long long i = (long long) b * block + t; i < a.count; i += stride) name##_item(a, i); \
     }},

// as_nn_matmul (nn.cu): per block, the tiles of its grid-stride loop; per 16-wide k slice, every
// thread's load phase, then (after the barrier) every thread's accumulate phase; then the stores.
void emulateMatmul(const void* p, unsigned grid, unsigned block) {
    NnMatMulArgs a;
    std::memcpy(&a, p, sizeof a);
    static float As[NN_MM_K][NN_MM_PAD], Bs[NN_MM_K][NN_MM_PAD];
    std::vector<float> acc((size_t) block * 16);
    for (unsigned b = 0; b < grid; b++)
        for (long long t = b; t < a.count; t += grid) {
            std::fill(acc.begin(), acc.end(), 0.0f);
            for (int k0 = 0; k0 < a.k; k0 += NN_MM_K) {
                for (unsigned tid = 0; tid < block; tid++) nn_matmul_load(a, t, k0, (int) tid, As, Bs);
                for (unsigned tid = 0; tid < block; tid++) nn_matmul_accumulate(a, k0, (int) tid, As, Bs, &acc[tid * 16]);
            }
            for (unsigned tid = 0; tid < block; tid++) nn_matmul_store(a, t, (int) tid, &acc[tid * 16]);
        }
}

const Kernel kKernels[] = {AS_AR_KERNELS(AS_EMULATE) AS_DET_KERNELS(AS_EMULATE) AS_DIFFUSION_KERNELS(AS_EMULATE) AS_DRAW_KERNELS(AS_EMULATE)
                           AS_VALIDATE_KERNELS(AS_EMULATE) AS_FIXED_POINT_KERNELS(AS_EMULATE) AS_TOKEN_KERNELS(AS_EMULATE)
                           AS_NN_KERNELS(AS_EMULATE) {"as_nn_matmul", sizeof(NnMatMulArgs), emulateMatmul, NN_MM_THREADS}};

std::map<uint64_t, uint64_t> g_live; // address -> bytes
uint64_t g_liveBytes = 0, g_capacity = 0;

void readAll(void* p, size_t n) {
    if (n && std::fread(p, 1, n, stdin) != n) std::exit(0); // the JVM went away
}

template <class T> T rd() {
    T v;
    readAll(&v, sizeof v);
    return v;
}

void reply(uint8_t status) {
    std::fwrite(&status, 1, 1, stdout);
}

void fail(const std::string& msg) {
    reply(1);
    uint32_t n = (uint32_t) msg.size();
    std::fwrite(&n, 4, 1, stdout);
    std::fwrite(msg.data(), 1, n, stdout);
    std::fflush(stdout);
}

void ok() {
    reply(0);
}

// Whether [addr, addr + n) lies inside one live allocation.
bool inside(uint64_t addr, uint64_t n) {
    auto it = g_live.upper_bound(addr);
    if (it == g_live.begin()) return false;
    --it;
    return addr >= it->first && addr + n <= it->first + it->second;
}

std::string hex(uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "0x%llx", (unsigned long long) v);
    return b;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: device_emulator CAPACITY_BYTES\n");
        return 2;
    }
    g_capacity = std::strtoull(argv[1], nullptr, 10);
    std::vector<char> buf;
    for (;;) {
        uint8_t op;
        if (std::fread(&op, 1, 1, stdin) != 1) return 0;
        switch (op) {
            case 1: {
                uint64_t n = rd<uint64_t>();
                uint64_t addr = 0;
                if (n > 0 && g_liveBytes + n <= g_capacity) {
                    void* p = std::aligned_alloc(256, (n + 255) / 256 * 256);
                    if (p) {
                        std::memset(p, 0xFF, n); // like cudaMalloc: never zeroed (NaN / -1 if read unwritten)
                        addr = (uint64_t) p;
                        g_live[addr] = n;
                        g_liveBytes += n;
                    }
                }
                ok();
                std::fwrite(&addr, 8, 1, stdout);
                std::fflush(stdout);
                break;
            }
            case 2: {
                uint64_t addr = rd<uint64_t>();
                auto it = g_live.find(addr);
                if (it == g_live.end()) {
                    fail("FREE of " + hex(addr) + ", which is not a live allocation");
                    break;
                }
                g_liveBytes -= it->second;
                g_live.erase(it);
                std::free((void*) addr);
                ok();
                std::fflush(stdout);
                break;
            }
            case 3: {
                uint64_t addr = rd<uint64_t>(), n = rd<uint64_t>();
                buf.resize(n);
                readAll(buf.data(), n);
                if (!inside(addr, n)) {
                    fail("HTOD of " + std::to_string(n) + " bytes to " + hex(addr) + " outside any allocation");
                    break;
                }
                std::memcpy((void*) addr, buf.data(), n);
                ok();
                std::fflush(stdout);
                break;
            }
            case 4: {
                uint64_t addr = rd<uint64_t>(), n = rd<uint64_t>();
                if (!inside(addr, n)) {
                    fail("DTOH of " + std::to_string(n) + " bytes from " + hex(addr) + " outside any allocation");
                    break;
                }
                ok();
                std::fwrite((const void*) addr, 1, n, stdout);
                std::fflush(stdout);
                break;
            }
            case 5: {
                uint32_t len = rd<uint32_t>();
                std::string name(len, '\0');
                readAll(&name[0], len);
                uint32_t grid = rd<uint32_t>(), block = rd<uint32_t>(), argLen = rd<uint32_t>();
                buf.resize(argLen);
                readAll(buf.data(), argLen);
                const Kernel* k = nullptr;
                for (const Kernel& e : kKernels)
                    if (name == e.name) k = &e;
                if (!k) {
                    fail("no kernel named " + name);
                    break;
                }
                if (argLen != k->argSize) {
                    fail(name + ": argument struct of " + std::to_string(argLen) + " bytes, the kernel takes " +
                         std::to_string(k->argSize));
                    break;
                }
                if (grid < 1 || grid > 0x7FFFFFFFu || block < 1 || block > 1024 || (k->block && block != k->block)) {
                    fail(name + ": invalid launch shape grid " + std::to_string(grid) + " block " + std::to_string(block));
                    break;
                }
                k->run(buf.data(), grid, block);
                ok();
                std::fflush(stdout);
                break;
            }
            case 7: {
                ok();
                uint64_t count = g_live.size();
                std::fwrite(&g_liveBytes, 8, 1, stdout);
                std::fwrite(&count, 8, 1, stdout);
                std::fwrite(&g_capacity, 8, 1, stdout);
                std::fflush(stdout);
                break;
            }
            case 8:
                ok();
                std::fflush(stdout);
                return 0;
            default:
                fail("unknown op " + std::to_string(op));
                return 1;
        }
    }
}
