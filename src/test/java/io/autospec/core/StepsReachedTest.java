package io.autospec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.ar.models.MarkovChain;
import io.autospec.backend.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Progress must not count finished samples only, which all finish near the end of a run:
 * {@link RunMetrics#stepsReached()} advances during the run: never down, to n x M at the end, and
 * well ahead of the finished samples halfway through; jacobi, auto and token windows report their
 * certified (accepted) steps.
 */
class StepsReachedTest {

    private static List<long[]> trace(Strategy s, int n, int m) {
        List<long[]> rows = new ArrayList<>(); // per round: steps reached, samples done
        try (CpuBackend backend = new CpuBackend(1)) {
            RunMetrics mt = Autospec.autoregressive(MarkovChain.stay(n, 2, 0.9)).strategy(s).seed(3).backend(backend)
                    .listener(x -> rows.add(new long[] {x.stepsReached(), x.samplesDone()})).sample(m).metrics();
            assertEquals((long) n * m, mt.stepsTotal());
            assertEquals(mt.stepsTotal(), mt.stepsReached(), s + ": every step is reached by the end");
            assertEquals(mt.rounds(), rows.size());
        }
        return rows;
    }

    @Test
    void advancesMonotonicallyAndAheadOfFinishedSamples() {
        int n = 512, m = 8;
        for (Strategy s : List.of(Autospec.sequential(), Autospec.speculative(), Autospec.speculative().maxSpeculationSpan(16))) {
            List<long[]> rows = trace(s, n, m);
            for (int i = 1; i < rows.size(); i++) assertTrue(rows.get(i)[0] >= rows.get(i - 1)[0], s + ": went down at round " + i);
            long[] mid = rows.get(rows.size() / 2);
            double stepsShare = (double) mid[0] / ((long) n * m), samplesShare = (double) mid[1] / m;
            assertTrue(stepsShare > 0.25 && stepsShare > samplesShare,
                    s + " halfway: " + stepsShare + " of steps reached vs " + samplesShare + " of samples done");
        }
    }

    /**
     * Fixed-point strategies and token windows report their certified (accepted) steps as they go:
     * never down, strictly between 0 and n x M for most of the run, n x M at the end.
     */
    @Test
    void jacobiAutoAndTokenReportCertifiedSteps() {
        int n = 512, m = 8;
        for (Strategy s : List.of(Autospec.jacobi(), Autospec.auto(), Autospec.token(16), Autospec.tokenAdaptive())) {
            List<long[]> rows = trace(s, n, m);
            int between = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (i > 0) assertTrue(rows.get(i)[0] >= rows.get(i - 1)[0], s + ": went down at round " + i);
                if (rows.get(i)[0] > 0 && rows.get(i)[0] < (long) n * m) between++;
            }
            assertTrue(between >= rows.size() / 2, s + ": progress moved in only " + between + " of " + rows.size() + " rounds");
        }
    }

    /** Jacobi with a window of one step is the sequential sampler: one certified step a round, reported as such. */
    @Test
    void jacobiCertifiesOneStepARoundWithWindowOne() {
        List<long[]> rows = trace(Autospec.jacobi(1), 40, 3);
        assertEquals(40, rows.size());
        for (int r = 0; r < rows.size(); r++) assertEquals(3L * (r + 1), rows.get(r)[0], "after round " + (r + 1));
    }

    @Test
    void sequentialStepsAreExactlyTheRounds() {
        List<long[]> rows = trace(Autospec.sequential(), 40, 3);
        // after round r every sample has drawn r steps (and reached its next)
        for (int r = 0; r < rows.size() - 1; r++) assertEquals(3L * (r + 1), rows.get(r)[0], "after round " + (r + 1));
    }
}
