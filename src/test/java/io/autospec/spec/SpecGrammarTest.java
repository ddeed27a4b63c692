package io.autospec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.models.ModelSpec;
import org.junit.jupiter.api.Test;

/** One grammar, one parser: strategies and model kinds follow the same rules and name the spec, never an option. */
class SpecGrammarTest {

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingTheKeyAndTheSpec() {
        assertEquals("strategy token:window=4,window=8: setting 'window' given twice", refusal(() -> Strategies.create("token:window=4,window=8")));
        assertEquals("model markov:q=2,q=3: setting 'q' given twice", refusal(() -> ModelSpec.parse("markov:q=2,q=3")));
        assertEquals("model markov:q=2,Q=3: setting 'q' given twice", refusal(() -> ModelSpec.parse("markov:q=2,Q=3")));
    }

    @Test
    void numbersAreCheckedAgainstTheirRangeAndOverflowNamesTheKey() {
        String m = refusal(() -> ModelSpec.parse("markov:q=99999999999").autoregressive(4));
        assertTrue(m.startsWith("model markov:q=99999999999: q must be in ["), m);
        m = refusal(() -> ModelSpec.parse("markov:q=99999999999999999999999").autoregressive(4));
        assertTrue(m.startsWith("model markov:q=99999999999999999999999: q must be an integer in ["), m);
        m = refusal(() -> Strategies.create("speculative:max-span=99999999999"));
        assertTrue(m.startsWith("strategy speculative:max-span=99999999999: max-span"), m);
        m = refusal(() -> ModelSpec.parse("gaussian:variance=1e999").denoiser());
        assertEquals("model gaussian:variance=1e999: variance must be finite, got 1e999", m);
    }

    @Test
    void libraryMessagesNameNoCommandLineOption() {
        for (Runnable bad : new Runnable[] {
            () -> ModelSpec.parse("markov").autoregressive(null), () -> ModelSpec.parse("markov:q=0").autoregressive(4),
            () -> ModelSpec.parse("markov:bogus=1"), () -> ModelSpec.parse("gaussian:d=2").autoregressive(4),
            () -> Strategies.create("token:window=big"), () -> Strategies.create("auto:rest=banana"),
        }) {
            String m = refusal(bad);
            assertTrue(!m.contains("--"), m);
        }
    }
}
