package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Schedule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On autospec's own executor (evaluator=host: nn's kernels in Java, the same bits as the CUDA
 * executor, which cuda's NetExecutorContract checks model by model on the host emulator, batch
 * positions included), the fixed-point strategies return the sequential samples bit for bit:
 * {@code jacobi} and {@code auto} on the digits network and on the tiny transformer, {@code picard}
 * at tolerance 0 and {@code auto} on the digits denoiser. These strategies evaluate a row in launches
 * of other sizes than {@code sequential} does; the planted check shows that the same comparison
 * rejects an evaluator whose rows depend on their place in the launch.
 */
class OwnExecutorExactnessTest {
    static final Path TINY_TRANSFORMER = Path.of(System.getProperty("autospec.source.dir", ".."), "nn", "src", "test", "resources",
            "io", "autospec", "nn", "tiny-transformer.onnx");

    static OnnxOracle.Options host(int chunk) {
        return OnnxOracle.Options.defaults().withThreads(2).withEvaluator("host").withBackend("cpu").withChunk(chunk);
    }

    @Test
    void jacobiAndAutoGiveTheSequentialSamplesOnTheHostExecutor() {
        Object[][] cases = {{DigitsModelTest.DIGITS, 16, 3}, {DigitsModelTest.DIGITS, 5, 2}, {TINY_TRANSFORMER, 16, 8},
                {TINY_TRANSFORMER, 7, 8}};
        for (Object[] c : cases) {
            try (OnnxOracle o = OnnxOracle.open((Path) c[0], host((int) c[1]))) {
                assertEquals("host", o.evaluator());
                int m = (int) c[2];
                List<int[]> seq = Autospec.autoregressive(o).strategy(Autospec.sequential()).seed(21).backend(new CpuBackend(1)).sample(m).samples();
                for (Strategy st : new Strategy[] {Autospec.jacobi(), Autospec.auto()}) {
                    RunResult<int[]> r = Autospec.autoregressive(o).strategy(st).seed(21).backend(new CpuBackend(1)).sample(m);
                    System.out.println("host executor " + o.describe() + " chunk " + c[1] + " " + st + ": " + r.metrics().summary());
                    for (int j = 0; j < m; j++) {
                        assertArrayEquals(seq.get(j), r.samples().get(j), c[0] + " chunk " + c[1] + " " + st + " sample " + j);
                    }
                }
            }
        }
    }

    /** Planted: rows after the first of a launch get a shifted first logit; jacobi's samples then differ. */
    @Test
    void aLaunchDependentEvaluatorIsCaught() {
        try (OnnxOracle o = OnnxOracle.open(DigitsModelTest.DIGITS, host(16))) {
            int width = o.length() * o.alphabet();
            HookedEvaluator.install(o.network(), (real, rows, in, logits) -> {
                real.evaluate(rows, in, logits);
                for (int r = 1; r < rows; r++) {
                    for (int i = 0; i < o.length(); i++) logits[r * width + i * o.alphabet()] += 0.5;
                }
            });
            int m = 3;
            List<int[]> seq = Autospec.autoregressive(o).strategy(Autospec.sequential()).seed(21).backend(new CpuBackend(1)).sample(m).samples();
            List<int[]> jac = Autospec.autoregressive(o).strategy(Autospec.jacobi()).seed(21).backend(new CpuBackend(1)).sample(m).samples();
            boolean differs = false;
            for (int j = 0; j < m; j++) differs |= !java.util.Arrays.equals(seq.get(j), jac.get(j));
            org.junit.jupiter.api.Assertions.assertTrue(differs, "a launch-dependent evaluator went unnoticed");
        }
    }

    @Test
    void picardAndAutoGiveTheSequentialSamplesOnTheHostExecutor() {
        try (OnnxDenoiser dn = OnnxDenoiser.open(OnnxDenoiserTest.DIGITS,
                OnnxDenoiser.Options.defaults().withThreads(2).withEvaluator("host").withBackend("cpu").withChunk(5))) {
            assertEquals("host", dn.evaluator());
            Schedule s = Schedule.geometric(32, 1e-2);
            int m = 3;
            List<double[]> seq = Autospec.diffusion(dn, s).strategy(Autospec.sequential()).seed(5).backend(new CpuBackend(1)).sample(m).samples();
            for (Strategy st : new Strategy[] {Autospec.picard(16, 0), Autospec.auto()}) {
                RunResult<double[]> r = Autospec.diffusion(dn, s).strategy(st).seed(5).backend(new CpuBackend(1)).sample(m);
                System.out.println("host executor " + dn.describe() + " " + st + ": " + r.metrics().summary());
                for (int j = 0; j < m; j++) assertArrayEquals(seq.get(j), r.samples().get(j), st + " sample " + j);
            }
        }
    }
}
