package io.autospec.ar.models.det;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.testing.GoodnessOfFit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The anchors sample the exact laws: the same standard check (5 replicates of {@value #M} samples,
 * alpha = 0.01, fail on 3+ rejections; false-failure rate 9.9e-6 per check) against the same
 * enumerations as {@link DeterminantalGoodnessOfFitTest}, whose planted variants show its power.
 */
class AnchorGoodnessOfFitTest {
    static final int M = DeterminantalGoodnessOfFitTest.M;

    private static void check(ExactAnchor anchor, String model, long seed) {
        Map<Long, Double> law = DeterminantalGoodnessOfFitTest.model(model).law();
        GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> {
            List<Long> keys = new ArrayList<>(M);
            for (int s = 0; s < M; s++) keys.add(DeterminantalGoodnessOfFitTest.key(anchor.sample(seed + r, s)));
            return GoodnessOfFit.chiSquarePValue(law, keys);
        });
        assertTrue(o.passed(), anchor.describe() + " on " + model + ": " + o);
    }

    @Test
    void wilsonOnTheGrid() {
        check(new WilsonSampler(DetZoo.grid3()), "ust(grid=3x3)", 1);
    }

    @Test
    void wilsonWeighted() {
        check(new WilsonSampler(DetZoo.weighted5()), "ust(weighted5)", 2);
    }

    @Test
    void shufflingOrderTwo() {
        check(new DominoShuffling(new AztecDiamond(2)), "aztec(order=2)", 3);
    }

    @Test
    void shufflingOrderThree() {
        check(new DominoShuffling(new AztecDiamond(3)), "aztec(order=3)", 4);
    }

    @Test
    void spectral() {
        check(new SpectralDppSampler(LEnsemble.of(DetZoo.l6(), "l6")), "dpp(N=6)", 5);
    }

    /** Large anchors produce valid objects (a tree; a tiling with M(M+1) dominoes). */
    @Test
    void largeSamplesAreValid() {
        SpanningTrees g = SpanningTrees.grid(20, 13);
        assertTrue(g.isSpanningTree(new WilsonSampler(g).sample(9, 0)));
        AztecDiamond a = new AztecDiamond(24);
        int[] t = new DominoShuffling(a).sample(9, 0);
        assertTrue(a.isTiling(t));
        assertTrue(java.util.Arrays.stream(t).sum() == 24 * 25);
    }
}
