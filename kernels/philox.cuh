// Philox4x32-10 exactly as io.autospec.rng.Philox: same rounds, same key schedule, same word order,
// same uniform mapping (w64 >>> 11) * 2^-53, same unbiased bounded ints (Lemire). Every draw is a
// pure function of (key k0, k1; counter c0..c3), so host and device produce identical bits.
#ifndef AS_PHILOX_CUH
#define AS_PHILOX_CUH

#include "as_compat.cuh"

#define AS_PHILOX_M0 0xD2511F53u
#define AS_PHILOX_M1 0xCD9E8D57u
#define AS_PHILOX_W0 0x9E3779B9u
#define AS_PHILOX_W1 0xBB67AE85u

// Purposes (first counter word), identical to io.autospec.rng.Purpose.
#define AS_PURPOSE_DRAFT 2u

AS_HD void as_philox_block(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3,
                           uint32_t out[4]) {
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 += AS_PHILOX_W0;
            k1 += AS_PHILOX_W1;
        }
        uint64_t p0 = (uint64_t) AS_PHILOX_M0 * c0;
        uint64_t p1 = (uint64_t) AS_PHILOX_M1 * c2;
        uint32_t hi0 = (uint32_t) (p0 >> 32), lo0 = (uint32_t) p0;
        uint32_t hi1 = (uint32_t) (p1 >> 32), lo1 = (uint32_t) p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

// Words 0 and 1 of the block as one 64-bit word, word 0 in the high half (Philox.word64).
AS_HD uint64_t as_philox_word64(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3) {
    uint32_t w[4];
    as_philox_block(k0, k1, c0, c1, c2, c3, w);
    return ((uint64_t) w[0] << 32) | w[1];
}

// Philox.toUniform: a double in [0, 1) with 53 random bits.
AS_HD double as_to_uniform(uint64_t bits) {
    return (double) (bits >> 11) * 0x1.0p-53;
}

// Philox.uniform.
AS_HD double as_philox_uniform(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3) {
    return as_to_uniform(as_philox_word64(k0, k1, c0, c1, c2, c3));
}

// Philox.boundedInt: uniform in [0, bound), bound > 0, words from counters (c0, c1, c2, attempt).
AS_HD int32_t as_philox_bounded(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, int32_t bound) {
    uint64_t b = (uint32_t) bound;
    uint64_t threshold = ((1ull << 32) - b) % b;
    for (uint32_t attempt = 0;; attempt++) {
        uint64_t w = as_philox_word64(k0, k1, c0, c1, c2, attempt);
        for (int half = 0; half < 2; half++) {
            uint64_t x = half == 0 ? (w >> 32) : (w & 0xFFFFFFFFull);
            uint64_t m = x * b;
            if ((m & 0xFFFFFFFFull) >= threshold) return (int32_t) (m >> 32);
        }
    }
}

#endif
