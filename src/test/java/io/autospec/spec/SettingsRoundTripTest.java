package io.autospec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.core.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every strategy prints its settings in the grammar that parses them, and they parse back. */
class SettingsRoundTripTest {

    static final List<String> SPECS = List.of(
            "sequential",
            "speculative", "speculative:rho=0.5,early=false,max-span=64,trial-steps=1000", "speculative:max-span=all",
            "token", "token:window=8", "token:window=adaptive", "token:window=adaptive,min=16",
            "picard", "picard:window=32,tol=0", "picard:tol=1e-5",
            "jacobi", "jacobi:window=16", "jacobi:window=all",
            "auto", "auto:redraft=false", "auto:stall=false,budget=12", "auto:window=32,levels=3,draft-window=16",
            "auto:rest=adaptive", "auto:rest=16", "auto:rest=speculative", "auto:window=all", "auto:hedge=false");

    @Test
    void everyPrintedSettingParsesBack() {
        for (String name : Strategies.names()) {
            assertTrue(SPECS.stream().anyMatch(s -> s.equals(name) || s.startsWith(name + ":")), "a case for " + name);
        }
        for (String text : SPECS) {
            Strategy s = Strategies.create(text);
            String printed = s.spec();
            Strategy back = Strategies.create(printed);
            assertEquals(s.settings(), back.settings(), text + " printed as " + printed);
            assertEquals(printed, back.spec(), text);
            assertEquals(s.exact(), back.exact(), text);
            for (String key : s.settings().keySet()) {
                assertTrue(Strategies.all().get(s.name()).keys().contains(key), text + ": printed key " + key + " is a setting");
            }
        }
    }

    @Test
    void namesAgreeAndErrorsSayWhatIsValid() {
        assertEquals("speculative:rho=1.0,early=true,max-span=all", Strategies.create("speculative").spec());
        assertEquals("token:window=adaptive,min=64", Strategies.create("token:window=adaptive").spec());
        assertEquals("picard:window=64,tol=0.001", Strategies.create("picard").spec());
        String e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("auto:rest=banana")).getMessage();
        assertTrue(e.contains("rest must be an integer or adaptive, got 'banana'"), e);
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("token:window=banana")).getMessage();
        assertTrue(e.contains("adaptive"), e);
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("token:window=adaptive,window=4")).getMessage();
        assertTrue(e.contains("'window' given twice"), e);
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("token:window=8,min=4")).getMessage();
        assertTrue(e.contains("min applies to window=adaptive only"), e);
    }
}
