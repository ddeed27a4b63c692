package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.core.Coupling;
import io.autospec.ar.models.det.SpanningTrees;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code auto}'s draft wins: on spanning trees and tilings in their fixed order
 * Jacobi certifies a few steps a sweep (never one, so the stall rule does not fire), while a draft
 * from the certified prefix runs further; after two sweeps whose level-0 draft agreed at least as far
 * as the sweep certified, {@code auto} drafts (sweeping the whole window). Only guesses change: the
 * samples stay the sequential ones bit for bit, and the rounds drop below Jacobi's and to at most
 * token windows' (deterministic counts for these seeds; without draft wins auto needed more than
 * token windows on both). The planted DRAFT_CERTIFY variant breaks the identity here, so the
 * drafting path really ran.
 */
class DraftWinTest {
    static final int M = 24;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("ust(grid=8x8)", SpanningTrees.grid(8, 8).oracle()),
                Arguments.of("aztec(order=6)", new AztecDiamond(6).oracle()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void draftsCutRoundsAndKeepTheSequentialSamples(String name, ConditionalOracle oracle) {
        long seed = 2222;
        RunResult<int[]> seq = ArTesting.run(oracle, Autospec.sequential(), seed, M);
        RunResult<int[]> jacobi = ArTesting.run(oracle, Autospec.jacobi(), seed, M);
        RunResult<int[]> auto = ArTesting.run(oracle, Autospec.auto(), seed, M);
        for (int i = 0; i < M; i++) {
            assertArrayEquals(seq.samples().get(i), jacobi.samples().get(i), "jacobi on " + name + ": sample " + i);
            assertArrayEquals(seq.samples().get(i), auto.samples().get(i), "auto on " + name + ": sample " + i);
        }
        RunResult<int[]> token = ArTesting.run(oracle, Autospec.token(64), seed, M);
        // hedge=false: drafts only after one-step stalls (auto before hedging): same samples, more rounds.
        RunResult<int[]> noHedge = ArTesting.run(oracle, Autospec.auto().hedge(false), seed, M);
        for (int i = 0; i < M; i++) assertArrayEquals(seq.samples().get(i), noHedge.samples().get(i), "auto(hedge=false) on " + name);
        assertTrue(auto.metrics().rounds() < noHedge.metrics().rounds(),
                name + ": auto " + auto.metrics().rounds() + " rounds, hedge=false " + noHedge.metrics().rounds());
        assertTrue(auto.metrics().rounds() < jacobi.metrics().rounds() && auto.metrics().rounds() <= token.metrics().rounds(),
                name + ": auto " + auto.metrics().rounds() + " rounds, jacobi " + jacobi.metrics().rounds() + ", token windows "
                        + token.metrics().rounds());
        // Hedging with a bounded Jacobi window, and under Gumbel-max: still the sequential samples of the coupling.
        RunResult<int[]> seqG = ArTesting.run(oracle, Autospec.sequential().coupling(Coupling.GUMBEL), seed, M);
        RunResult<int[]> win = ArTesting.run(oracle, Autospec.auto().window(32), seed, M);
        RunResult<int[]> gum = ArTesting.run(oracle, Autospec.auto().coupling(Coupling.GUMBEL), seed, M);
        for (int i = 0; i < M; i++) {
            assertArrayEquals(seq.samples().get(i), win.samples().get(i), "auto(window=32) on " + name + ": sample " + i);
            assertArrayEquals(seqG.samples().get(i), gum.samples().get(i), "auto(gumbel) on " + name + ": sample " + i);
        }
        int differ = 0;
        try {
            RunResult<int[]> bad = ArTesting.run(oracle, Autospec.auto().plantedDraftCertify(), seed, M);
            for (int i = 0; i < M; i++) if (!Arrays.equals(seq.samples().get(i), bad.samples().get(i))) differ++;
        } catch (io.autospec.core.OracleException e) {
            differ = M; // it certified an impossible edge set and the oracle said so
        }
        assertTrue(differ > 0, "DRAFT_CERTIFY reproduced sequential on " + name + ": drafting never ran");
    }
}
