package io.autospec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.AutoSampler;
import io.autospec.ar.TokenSampler;
import org.junit.jupiter.api.Test;

/** The bench specs of issue 12, section 2: adaptive token windows and the old/new auto. */
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
        assertEquals(TokenSampler.adaptive().toString(), fresh.settings().get("rest"));
        AutoSampler old = (AutoSampler) StrategySpec.parse("auto:stall=false,rest=64").strategy();
        assertEquals(false, old.settings().get("stall"));
        assertEquals(TokenSampler.window(64).toString(), old.settings().get("rest"));
        assertEquals(TokenSampler.adaptive().toString(),
                ((AutoSampler) StrategySpec.parse("auto:rest=adaptive").strategy()).settings().get("rest"));
        assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse("auto:stall=maybe"));
    }

    @Test
    void autoRedraftAndLevels() {
        AutoSampler fresh = (AutoSampler) StrategySpec.parse("auto").strategy();
        assertEquals(true, fresh.settings().get("redraft"));
        assertEquals("none", fresh.settings().get("budget"));
        AutoSampler handOver = (AutoSampler) StrategySpec.parse("auto:redraft=false").strategy();
        assertEquals(false, handOver.settings().get("redraft"));
        assertEquals("2log2(n)+4", handOver.settings().get("budget"));
        assertEquals(2 * 8 + 4, handOver.budgetFor(256));
        assertEquals(Integer.MAX_VALUE, fresh.budgetFor(256));
        assertEquals("8 levels, min window 64", ((AutoSampler) StrategySpec.parse("auto:levels=8").strategy()).settings().get("drafts"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse("auto:levels=0"));
        assertTrue(e.getMessage().contains("draft levels must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StrategySpec.parse("auto:redraft=sometimes"));
        assertTrue(e.getMessage().contains("redraft must be true or false, got 'sometimes'"), e.getMessage());
    }
}
