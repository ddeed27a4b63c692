package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.autospec.spec.Strategies;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings: duplicate keys refused, the report names what ran, one set of names (the report parses back). */
class SettingsNamesTest {

    private static JsonObject report(String... args) {
        SampleCommandTest.Run r = SampleCommandTest.cli(args);
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    @Test
    void diffusionUnderAutoReportsExactPicard() {
        JsonObject rep = report("sample", "--model", "gaussian:d=2", "--steps", "16", "--backend", "cpu", "--report", "-");
        assertEquals("picard", rep.get("strategy").getAsString());
        assertEquals("picard:window=256,tol=0.0", rep.get("spec").getAsString());
        assertTrue(rep.get("exact").getAsBoolean());
        assertFalse(rep.get("settings").toString().contains("redraft"), rep.toString());
    }

    @Test
    void theReportedSpecParsesBackInSampleAndBench(@TempDir Path dir) {
        for (String strategy : new String[] {"token:window=adaptive", "speculative:rho=0.5", "auto", "jacobi"}) {
            JsonObject rep = report("sample", "--model", "markov:q=2,stay=0.9", "--n", "16", "--backend", "cpu", "--strategy", strategy,
                    "--report", "-");
            String spec = rep.get("spec").getAsString();
            assertEquals(spec, Strategies.create(spec).spec(), strategy);
            SampleCommandTest.Run again = SampleCommandTest.cli("sample", "--model", "markov:q=2,stay=0.9", "--n", "16", "--backend", "cpu",
                    "--strategy", spec, "--report", dir.resolve(strategy.replace(':', '_') + ".json").toString());
            assertEquals(0, again.code(), spec + ": " + again.err());
        }
        // the report's min=64 is a setting bench takes
        SampleCommandTest.Run b = SampleCommandTest.cli("bench", "--model", "markov:q=2,stay=0.9", "--strategy", "token:window=adaptive,min=64",
                "--n-min", "8", "--n-max", "8", "--runs", "1", "--backend", "cpu", "--out-dir", dir.resolve("b").toString());
        assertEquals(0, b.code(), b.err());
    }

    @Test
    void oldFlagsAreAliasesOfTheSettings() {
        JsonObject rep = report("sample", "--model", "gaussian:d=2", "--steps", "16", "--backend", "cpu", "--strategy", "picard", "--tol", "0",
                "--report", "-");
        assertEquals("picard:window=64,tol=0.0", rep.get("spec").getAsString());
        rep = report("sample", "--model", "markov:q=2,stay=0.9", "--n", "16", "--backend", "cpu", "--strategy", "speculative", "--no-early",
                "--report", "-");
        assertTrue(rep.get("spec").getAsString().contains("early=false"), rep.toString());
    }

    @Test
    void duplicateKeysAndBadWordsAreUsageErrors(@TempDir Path dir) {
        SampleCommandTest.Run r = SampleCommandTest.cli("sample", "--model", "markov:q=2,stay=0.9", "--n", "8", "--strategy",
                "token:window=adaptive,window=4");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'window' given twice"), r.err());
        r = SampleCommandTest.cli("bench", "--model", "markov:q=2,stay=0.9", "--strategy", "token:window=adaptive,window=4",
                "--out-dir", dir.resolve("b").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'window' given twice"), r.err());
        r = SampleCommandTest.cli("sample", "--model", "markov:q=2,stay=0.9", "--n", "8", "--strategy", "auto:rest=banana");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("rest must be an integer or adaptive"), r.err());
    }
}
