package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autospec.Autospec;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The AR {@code onnx:} path evaluates every run call in fixed chunks, so a network row's logits do not
 * depend on the launch it was computed in: the same runs with capacities 1, 5, 64 and unlimited
 * (launches of different sizes, the rows at different positions) see the same logits for every row,
 * bit for bit; and jacobi/auto return the sequential samples. With chunk = 0 the same rows are printed
 * for contrast (ONNX Runtime's CPU provider rounds differently for different batch sizes).
 */
class ArBatchInvarianceTest {

    static double rowVariation(OnnxOracle.Options options) throws Exception {
        try (OnnxOracle o = OnnxOracle.open(DigitsModelTest.DIGITS, options)) {
            int width = o.length() * o.alphabet();
            Map<String, double[]> seen = new HashMap<>();
            double[] maxDiff = {0};
            HookedEvaluator.install(o.network(), (real, rows, in, logits) -> {
                real.evaluate(rows, in, logits);
                int[] tokens = (int[]) in[0];
                for (int r = 0; r < rows; r++) {
                    int[] row = Arrays.copyOfRange(tokens, r * o.length(), (r + 1) * o.length());
                    double[] got = Arrays.copyOfRange(logits, r * width, (r + 1) * width);
                    double[] before = seen.putIfAbsent(Arrays.toString(row), got);
                    if (before != null) {
                        for (int i = 0; i < width; i++) maxDiff[0] = Math.max(maxDiff[0], Math.abs(before[i] - got[i]));
                    }
                }
            });
            for (int capacity : new int[] {Integer.MAX_VALUE, 64, 5, 1}) {
                Autospec.autoregressive(o).strategy(Autospec.speculative()).seed(5).capacity(capacity).backend(new CpuBackend(1)).sample(6);
            }
            return maxDiff[0];
        }
    }

    @Test
    void logitsOfARowDoNotDependOnItsBatch() throws Exception {
        OnnxOracle.Options one = OnnxOracle.Options.defaults().withThreads(1);
        double chunked = rowVariation(one);
        double variable = rowVariation(one.withChunk(0));
        System.out.println("AR onnx digits: max |logit difference| of a row across launches: chunk "
                + OnnxOracle.Options.DEFAULT_CHUNK + " " + chunked + ", chunk 0 (variable batches) " + variable);
        assertEquals(0.0, chunked);
    }

    @Test
    void jacobiAndAutoReturnTheSequentialSamples() {
        try (OnnxOracle o = OnnxOracle.open(DigitsModelTest.DIGITS, OnnxOracle.Options.defaults().withThreads(1))) {
            for (int m : new int[] {1, 16}) {
                List<int[]> seq = Autospec.autoregressive(o).strategy(Autospec.sequential()).seed(3).backend(new CpuBackend(1)).sample(m).samples();
                for (Strategy st : new Strategy[] {Autospec.jacobi(), Autospec.auto()}) {
                    List<int[]> got = Autospec.autoregressive(o).strategy(st).seed(3).backend(new CpuBackend(1)).sample(m).samples();
                    for (int j = 0; j < m; j++) assertArrayEquals(seq.get(j), got.get(j), st + " M=" + m + " sample " + j);
                }
            }
        }
    }
}
