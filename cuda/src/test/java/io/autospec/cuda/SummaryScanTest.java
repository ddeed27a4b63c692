package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resident rounds' prefix summaries (kernels/fixed_point_kernels.cuh) against the host's fold
 * ({@code Branch.summary(k)}: the sum of the values, or the XOR of table[position] over the values
 * that are not 0), kernel by kernel on the host emulator: the blocked scan used for wide windows
 * (every k from the final prefix c to c + width, the last prefix included, and dummies) and the
 * one-thread loop used for narrow ones. Skipped, with the reason, without a host C++ compiler.
 */
class SummaryScanTest {
    private static final int SUM = 1, XOR = 2;

    @BeforeAll
    static void emulator() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "summary scan on the emulator skipped: " + r.reason());
    }

    /** What one sample's slots read: k per slot, and the expected summary. */
    private record Case(int n, int width, int samples, int[] values, int[] sigma, long[] table, int[] cert, int[] sumAt, long[] sum,
                        int[] k) {}

    private static long fold(Case c, int rule, int s, int k) {
        long acc = 0;
        for (int t = 0; t < k; t++) {
            int v = c.values[s * c.n + t];
            acc = rule == SUM ? acc + v : v != 0 ? acc ^ c.table[c.sigma[s * c.n + t]] : acc;
        }
        return acc;
    }

    /** Random samples: each with a final prefix c, a summary already folded to some point below it, and slots' k. */
    private static Case randomCase(Random rnd, int n, int width, int samples, boolean nondecreasing) {
        int[] values = new int[samples * n], sigma = new int[samples * n], cert = new int[samples], sumAt = new int[samples];
        long[] table = new long[n], sum = new long[samples];
        int[] k = new int[samples * width];
        for (int i = 0; i < n; i++) table[i] = rnd.nextLong();
        Case c = new Case(n, width, samples, values, sigma, table, cert, sumAt, sum, k);
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < n; t++) {
                values[s * n + t] = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(3);
                sigma[s * n + t] = t;
            }
            for (int t = n - 1; t > 0; t--) { // a random order
                int u = rnd.nextInt(t + 1), x = sigma[s * n + t];
                sigma[s * n + t] = sigma[s * n + u];
                sigma[s * n + u] = x;
            }
            cert[s] = s == 0 ? 0 : rnd.nextInt(n);
            int lim = Math.min(width, n - cert[s]);
            for (int i = 0, last = cert[s]; i < width; i++) {
                int v = rnd.nextInt(8) == 0 ? 0 // a dummy
                        : nondecreasing ? (last = Math.min(cert[s] + lim, last + rnd.nextInt(3))) : cert[s] + rnd.nextInt(lim + 1);
                if (i == width - 1 && s == 1) v = cert[s] + lim; // the last prefix
                k[s * width + i] = v;
            }
        }
        // The rule is applied below: sumAt/sum are set per rule by the caller.
        return c;
    }

    @Test
    void theBlockedScanAndTheLoopGiveTheHostsSummaries() {
        Random rnd = new Random(42);
        try (EmulatedDevice d = new EmulatedDevice(HostBuild.emulator().executable(), 1L << 26)) {
            for (int rule : new int[] {SUM, XOR}) {
                for (int[] shape : new int[][] {{700, 600, 3}, {300, 300, 2}, {513, 512, 2}, {40, 12, 4}}) {
                    boolean scan = shape[1] > ResidentRun.SCAN_WIDTH;
                    Case c = randomCase(rnd, shape[0], shape[1], shape[2], !scan);
                    for (int s = 0; s < c.samples; s++) {
                        c.sumAt[s] = c.cert[s] == 0 ? 0 : rnd.nextInt(c.cert[s] + 1);
                        c.sum[s] = fold(c, rule, s, c.sumAt[s]);
                    }
                    long[] got = run(d, c, rule, scan);
                    for (int s = 0; s < c.samples; s++) {
                        for (int i = 0; i < c.width; i++) {
                            int k = c.k[s * c.width + i];
                            long want = k < c.cert[s] ? 0 : fold(c, rule, s, k);
                            assertEquals(want, got[s * c.width + i], (scan ? "scan" : "loop") + " rule " + rule + " n " + c.n + " width "
                                    + c.width + ": sample " + s + " slot " + i + " (k = " + k + ", c = " + c.cert[s] + ")");
                        }
                    }
                }
            }
        }
    }

    private static long[] run(EmulatedDevice d, Case c, int rule, boolean scan) {
        int m = c.samples, w = c.width, chunks = (w + ResidentRun.SCAN_CHUNK) / ResidentRun.SCAN_CHUNK;
        int[] queries = new int[4 * m * w];
        for (int j = 0; j < m * w; j++) queries[4 * j + 1] = c.k[j];
        DeviceMemory values = ints(d, c.values), sigma = ints(d, c.sigma), cert = ints(d, c.cert), q = ints(d, queries),
                sumAt = ints(d, c.sumAt), table = longs(d, c.table), sum = longs(d, c.sum), summaries = d.allocate(8L * m * w),
                chunkSum = d.allocate(8L * m * chunks), prefix = d.allocate(8L * m * (w + 1));
        KernelArgs a = new KernelArgs();
        String[] kernels = scan ? new String[] {Kernels.FP_SUM_CHUNKS, Kernels.FP_SUM_FINAL, Kernels.FP_SUM_PREFIX, Kernels.FP_SUM_SLOTS}
                : new String[] {Kernels.FP_SUMMARIES};
        int[] sizes = scan ? new int[] {Kernels.FP_SUM_CHUNKS_ARGS, Kernels.FP_SUM_FINAL_ARGS, Kernels.FP_SUM_PREFIX_ARGS, Kernels.FP_SUM_SLOTS_ARGS}
                : new int[] {Kernels.FP_SUMMARIES_ARGS};
        long[] items = scan ? new long[] {(long) m * chunks, m, (long) m * chunks, (long) m * w} : new long[] {m};
        for (int i = 0; i < kernels.length; i++) {
            LaunchConfig cfg = LaunchConfig.forItems(items[i]);
            d.launch(kernels[i], cfg.grid(), cfg.block(), a.begin(kernels[i], sizes[i]).i64(items[i]).ptr(summaries, 0)
                    .ptr(sum, 0).ptr(table, 0).ptr(values, 0).ptr(sigma, 0).ptr(cert, 0).ptr(q, 0).ptr(sumAt, 0).ptr(chunkSum, 0)
                    .ptr(prefix, 0).i32(c.n).i32(w).i32(rule).i32(chunks).i32(ResidentRun.SCAN_CHUNK).i32(0).end());
        }
        HostBuffer out = d.allocateHost(8L * m * w);
        d.download(out, 0, summaries, 0, 8L * m * w);
        d.synchronize();
        long[] got = new long[m * w];
        out.buffer.asLongBuffer().get(got);
        for (DeviceMemory x : new DeviceMemory[] {values, sigma, cert, q, sumAt, table, sum, summaries, chunkSum, prefix}) d.free(x);
        return got;
    }

    private static DeviceMemory ints(EmulatedDevice d, int[] a) {
        HostBuffer h = d.allocateHost(Math.max(8, 4L * a.length));
        h.buffer.asIntBuffer().put(a);
        DeviceMemory m = d.allocate(Math.max(8, 4L * a.length));
        d.upload(m, 0, h, 0, 4L * a.length);
        return m;
    }

    private static DeviceMemory longs(EmulatedDevice d, long[] a) {
        HostBuffer h = d.allocateHost(Math.max(8, 8L * a.length));
        ByteBuffer b = h.buffer;
        b.asLongBuffer().put(a);
        DeviceMemory m = d.allocate(Math.max(8, 8L * a.length));
        d.upload(m, 0, h, 0, 8L * a.length);
        return m;
    }
}
