package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.backend.CpuBackend;
import io.autospec.nn.Executor;
import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.HostExecutor;
import io.autospec.nn.Plan;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The host evaluator runs only the rows it is given (a plan of one row per worker thread, the weights
 * shared): every row's bits equal those of a padded batch-16 plan, whatever the call's row count and
 * the thread count, and so do the samples drawn through it.
 */
class HostRowsTest {

    /** The padded path as it was: a plan of {@code chunk} rows on one Java executor, every call padded. */
    static final ExecutorProvider PADDED_HOST = new ExecutorProvider() {
        @Override
        public String name() {
            return "padded-host";
        }

        @Override
        public Optional<String> unavailable() {
            return Optional.empty();
        }

        @Override
        public Executor open(Plan plan) {
            return new HostExecutor(plan, 2);
        }
    };

    @Test
    void rowsEqualThoseOfABatchSixteenPlan() {
        for (Path model : new Path[] {DigitsModelTest.DIGITS, OnnxDenoiserTest.DIGITS}) {
            boolean ar = model == DigitsModelTest.DIGITS;
            try (AutoCloseable m = ar ? OnnxOracle.open(model, BadInputTest.ONE_THREAD.withEvaluator("host").withBackend("cpu"))
                    : OnnxDenoiser.open(model, OnnxDenoiser.Options.defaults().withThreads(1).withEvaluator("host").withBackend("cpu"))) {
                Network net = ar ? ((OnnxOracle) m).network() : ((OnnxDenoiser) m).network();
                RowEvaluator.Signature sig = net.signature();
                double[] padded = probeRows(net, PlanEvaluator.open(model, sig, 16, PADDED_HOST, 2, false), 16, 16);
                for (int threads : new int[] {1, 3}) {
                    for (int call : new int[] {16, 5, 1}) {
                        double[] got = probeRows(net, PlanEvaluator.open(model, sig, 16, null, threads, false), 16, call);
                        assertArrayEquals(padded, got, model.getFileName() + ": " + threads + " threads, calls of " + call + " rows");
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Outputs of probe rows 0..rows-1 evaluated by {@code e} in calls of {@code call} rows; closes e. */
    static double[] probeRows(Network net, PlanEvaluator e, int rows, int call) {
        try (e) {
            return net.probeOutputs(e, 0, rows, call);
        }
    }

    /**
     * Sequential and auto samples through the row-by-row host evaluator equal those through the padded
     * batch-16 plan: one sample (rounds of one row, on the executor that uses every thread) and three.
     */
    @Test
    void samplesEqualThoseOfThePaddedPlan() {
        try (OnnxOracle o = OnnxOracle.open(DigitsModelTest.DIGITS, BadInputTest.ONE_THREAD.withThreads(2).withEvaluator("host").withBackend("cpu"))) {
            assertEquals("host", o.evaluator());
            for (int m : new int[] {1, 3}) {
                List<int[]> rowByRow = Autospec.autoregressive(o).strategy(Autospec.sequential()).seed(11).backend(new CpuBackend(1)).sample(m).samples();
                List<int[]> auto = Autospec.autoregressive(o).strategy(Autospec.auto()).seed(11).backend(new CpuBackend(1)).sample(m).samples();
                RowEvaluator own = o.network().evaluator();
                try (RowEvaluator padded = PlanEvaluator.open(DigitsModelTest.DIGITS, o.network().signature(), 16, PADDED_HOST, 2, false)) {
                    o.network().evaluator(padded);
                    List<int[]> before = Autospec.autoregressive(o).strategy(Autospec.sequential()).seed(11).backend(new CpuBackend(1)).sample(m)
                            .samples();
                    o.network().evaluator(own);
                    assertEquals(m, rowByRow.size());
                    for (int s = 0; s < m; s++) {
                        assertArrayEquals(before.get(s), rowByRow.get(s), m + " samples, sample " + s);
                        assertArrayEquals(before.get(s), auto.get(s), m + " samples, auto, sample " + s);
                    }
                }
            }
            assertTrue(o.forwardRows() > 0);
        }
    }
}
