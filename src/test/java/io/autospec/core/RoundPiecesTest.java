package io.autospec.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.MarkovChain;
import io.autospec.backend.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * The capacity bounds the memory of a round: a round is built and evaluated in pieces of whole
 * requests that close once they hold the capacity, so a piece holds less than capacity + the
 * largest request (here a speculation of at most n = 256 queries), while rounds, queries and samples
 * stay those of the unsplit run.
 */
class RoundPiecesTest {

    private static RunResult<int[]> run(int capacity) {
        try (CpuBackend backend = new CpuBackend(2)) {
            return Autospec.autoregressive(MarkovChain.stay(256, 2, 0.9)).strategy(Autospec.speculative())
                    .seed(11).capacity(capacity).backend(backend).sample(60);
        }
    }

    @Test
    void piecesStayNearTheCapacity() {
        RunResult<int[]> whole = run(Integer.MAX_VALUE), pieces = run(100);
        RunMetrics w = whole.metrics(), p = pieces.metrics();
        assertTrue(w.maxRoundQueries() >= 60 * 256, "the first round holds every sample's root speculation: " + w.maxRoundQueries());
        assertEquals(w.maxRoundQueries(), w.maxPieceQueries(), "unlimited capacity: one piece a round");
        assertTrue(p.maxPieceQueries() < 100 + 256, "piece of " + p.maxPieceQueries() + " queries");
        assertEquals(w.maxRoundQueries(), p.maxRoundQueries());
        assertEquals(w.rounds(), p.rounds());
        assertEquals(w.queries(), p.queries());
        assertTrue(p.launches() >= (p.queries() + 99) / 100, "launches of at most 100 queries: " + p.launches());
        for (int i = 0; i < 60; i++) assertArrayEquals(whole.samples().get(i), pieces.samples().get(i), "sample " + i);
    }
}
