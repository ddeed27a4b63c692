package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import io.autospec.spec.StrategyProvider;
import io.autospec.spec.Strategies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Help texts and the README's model list are generated from the registries, every spec whole on one line. */
class RegistryHelpTest {

    static final String BEGIN = "<!-- models: generated from ModelSpec.help(); RegistryHelpTest checks it -->";

    private static void listsEverything(String help, String where) {
        List<String> lines = Arrays.asList(help.split("\\R"));
        for (ModelProvider p : ModelSpec.providers().values()) {
            for (String form : p.syntaxes()) {
                assertTrue(lines.stream().anyMatch(l -> l.contains(form)), where + " lists " + form + " whole on one line:\n" + help);
            }
        }
        for (StrategyProvider p : Strategies.all().values()) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(p.usage())), where + " lists " + p.usage() + ":\n" + help);
        }
        for (String must : List.of("ltr-markov:q=2,stay=0.999", "dpp:points=FILE", "dpp:random-points,n=N", "potts:q=5,stay=0.6",
                "onnx:PATH", "onnx-denoiser:PATH")) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(must)), where + " lists " + must);
        }
    }

    @Test
    void sampleAndBenchHelpListEveryKindAndStrategy() {
        SampleCommandTest.Run s = SampleCommandTest.cli("sample", "--help");
        assertEquals(0, s.code());
        listsEverything(s.out(), "sample --help");
        assertTrue(s.out().contains("takes the MAXIMUM of the M samples' rounds"));
        SampleCommandTest.Run b = SampleCommandTest.cli("bench", "--help");
        assertEquals(0, b.code());
        listsEverything(b.out(), "bench --help");
    }

    @Test
    void everyBuiltInKindIsRegistered() {
        assertEquals(List.of("product", "markov", "potts", "curie-weiss", "parity", "ltr-markov", "table", "dpp", "ust", "aztec",
                "gmm", "atoms", "box", "gaussian", "onnx", "onnx-denoiser"), ModelSpec.kinds());
    }

    @Test
    void readmeModelListIsTheRegistrys() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int at = readme.indexOf(BEGIN);
        assertTrue(at >= 0, "README has the generated model list");
        String block = readme.substring(readme.indexOf("```text\n", at) + 8);
        block = block.substring(0, block.indexOf("```"));
        String expected = String.join("\n", ModelSpec.help()) + "\n";
        assertEquals(expected, block, "README's model list (regenerate it from ModelSpec.help()):\n" + expected);
    }
}
