package io.autospec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.AutoSampler;
import io.autospec.ar.TokenSampler;
import org.junit.jupiter.api.Test;

/** Bench specs: adaptive token windows and the old/new auto. */
class StrategySpecTest {
    @Test
    void adaptiveTokenWindows() {
        TokenSampler t = (TokenSampler) StrategySpec.parse("token:window=adaptive").strategy();
        assertTrue(t.isAdaptive());
        assertEquals(TokenSampler.ADAPTIVE_MIN, t.minWindow());
        assertEquals(64, ((TokenSampler) StrategySpec.parse("token").strategy()).window());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse("token:window=big"));
        assertTrue(e.getMessage().contains("window must be an integer"), e.getMessage());
    }

    @Test
    void autoStallAndRest() {
        AutoSampler fresh = (AutoSampler) StrategySpec.parse("auto").strategy();
        assertEquals(true, fresh.settings().get("stall"));
        assertEquals("adaptive", fresh.settings().get("rest")); // in the grammar: auto:rest=adaptive
        AutoSampler old = (AutoSampler) StrategySpec.parse("auto:stall=false,rest=64").strategy();
        assertEquals(false, old.settings().get("stall"));
        assertEquals(64, old.settings().get("rest"));
        assertEquals("adaptive",
                ((AutoSampler) StrategySpec.parse("auto:rest=adaptive").strategy()).settings().get("rest"));
        assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse("auto:stall=maybe"));
    }

    @Test
    void autoRedraftAndLevels() {
        AutoSampler fresh = (AutoSampler) StrategySpec.parse("auto").strategy();
        assertEquals(true, fresh.settings().get("redraft"));
        assertEquals(null, fresh.settings().get("budget")); // the default (none when re-drafting) is not printed
        AutoSampler handOver = (AutoSampler) StrategySpec.parse("auto:redraft=false").strategy();
        assertEquals(false, handOver.settings().get("redraft"));
        assertEquals(null, handOver.settings().get("budget")); // the default, 2 log2(n) + 4 when handing over
        assertEquals(2 * 8 + 4, handOver.budgetFor(256));
        assertEquals(Integer.MAX_VALUE, fresh.budgetFor(256));
        assertEquals(8, ((AutoSampler) StrategySpec.parse("auto:levels=8").strategy()).settings().get("levels"));
        assertEquals(64, ((AutoSampler) StrategySpec.parse("auto:levels=8").strategy()).settings().get("draft-window"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse("auto:levels=0"));
        assertTrue(e.getMessage().contains("draft levels must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse("auto:redraft=sometimes"));
        assertTrue(e.getMessage().contains("redraft must be true or false, got 'sometimes'"), e.getMessage());
    }
}
