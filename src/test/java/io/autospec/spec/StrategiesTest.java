package io.autospec.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strategy registry: every built-in strategy registered, one grammar, help from the providers. */
class StrategiesTest {

    /**
     * The registry holds every provider of the services files on the class path, in their order (the
     * expectation is read from the files, not copied from them), and the help has each one's usage and
     * help line.
     */
    @Test
    void everyRegisteredProviderIsListedWithItsHelp() throws Exception {
        List<String> registered = new java.util.ArrayList<>();
        var files = StrategiesTest.class.getClassLoader().getResources("META-INF/services/" + StrategyProvider.class.getName());
        while (files.hasMoreElements()) {
            try (var in = files.nextElement().openStream()) {
                for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    String cls = line.replaceAll("#.*", "").strip();
                    if (cls.isEmpty()) continue;
                    String name = ((StrategyProvider) Class.forName(cls).getConstructor().newInstance()).name();
                    if (!registered.contains(name)) registered.add(name);
                }
            }
        }
        assertTrue(registered.contains("auto"), "the library's services file was not found: " + registered);
        assertEquals(registered, Strategies.names());
        List<String> help = Strategies.help();
        for (StrategyProvider p : Strategies.all().values()) {
            assertTrue(help.stream().anyMatch(l -> l.contains(p.usage()) && l.contains(p.help())), p.name() + " missing from help: " + help);
        }
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
        assertEquals("unknown strategy 'fast' in fast (known: " + String.join(", ", Strategies.names()) + ")", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("token:window=big"));
        assertEquals("strategy token:window=big: window must be an integer or adaptive, got 'big'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.create("token:depth=2"));
        assertEquals("strategy token:depth=2: token has no setting 'depth' (it takes: window, min)", e.getMessage());
        assertEquals("token:window=8", SpecText.parse(" token:window=8 ", "strategy").canonical());
    }
}
