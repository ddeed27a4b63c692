package io.autospec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strategy registry: every built-in strategy registered, one grammar, help from the providers. */
class StrategiesTest {

    @Test
    void everyBuiltInStrategyIsRegistered() {
        assertEquals(List.of("sequential", "speculative", "token", "picard", "jacobi", "auto"), Strategies.names());
        assertEquals(Strategies.names().size(), Strategies.help().size());
        for (String line : Strategies.help()) assertTrue(line.contains(": "), line);
    }

    @Test
    void theGrammarBuildsTheLibrarysStrategies() {
        assertEquals(Autospec.sequential().toString(), Strategies.create("sequential").toString());
        assertEquals(Autospec.speculative().rho(0.5).earlyDecision(false).maxSpeculationSpan(4).toString(),
                Strategies.create("speculative:rho=0.5,early=false,max-span=4").toString());
        assertEquals(Autospec.token(8).toString(), Strategies.create("token:window=8").toString());
        assertEquals(Autospec.picard(16, 0).toString(), Strategies.create("picard:window=16,tol=0").toString());
        assertEquals(Autospec.jacobi(5).toString(), Strategies.create("jacobi:window=5").toString());
        assertEquals(Autospec.auto().redraft(false).toString(), Strategies.create("AUTO:redraft=false").toString());
    }

    @Test
    void errorsNameTheSpecNotAnOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("fast"));
        assertEquals("unknown strategy 'fast' in fast (known: sequential, speculative, token, picard, jacobi, auto)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("token:window=big"));
        assertEquals("strategy token:window=big: window must be an integer, got 'big'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("token:depth=2"));
        assertEquals("strategy token:depth=2: token has no setting 'depth' (it takes: window)", e.getMessage());
        assertEquals("token:window=8", SpecText.parse(" token:window=8 ", "strategy").canonical());
    }
}
