package io.autospec.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the cost of fixed chunks against variable batches for the digits denoiser, per row, at
 * launch sizes 1..4096 (run with -Dautospec.bench=true; prints a table).
 */
class ChunkCostBench {
    @Test
    void chunkCost() {
        assumeTrue(Boolean.getBoolean("autospec.bench"), "set -Dautospec.bench=true to run");
        SplittableRandom rnd = new SplittableRandom(1);
        System.out.println("| launch rows | chunk | us per launch | us per row |");
        for (int rows : new int[] {1, 16, 128, 1024, 4096}) {
            double[] z = new double[rows * 64], s = new double[rows];
            for (int i = 0; i < z.length; i++) z[i] = rnd.nextGaussian();
            for (int r = 0; r < rows; r++) s[r] = Math.exp(rnd.nextGaussian());
            for (int chunk : new int[] {0, 1, 16, 64, 256}) {
                try (OnnxDenoiser dn = OnnxDenoiser.open(OnnxDenoiserTest.DIGITS, OnnxDenoiserTest.ONE_THREAD.withChunk(chunk))) {
                    int reps = Math.max(3, 4_000 / Math.max(rows, chunk));
                    for (int i = 0; i < reps; i++) dn.evaluate(z, s); // warm-up
                    double best = Double.MAX_VALUE;
                    for (int k = 0; k < 2; k++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps; i++) dn.evaluate(z, s);
                        best = Math.min(best, (System.nanoTime() - t0) / 1e3 / reps);
                    }
                    System.out.printf("| %d | %d | %.1f | %.2f |%n", rows, chunk, best, best / rows);
                }
            }
        }
    }
}
