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

    /**
     * The providers named in the class path's services files, in their order, instantiated as
     * {@link java.util.ServiceLoader} would: what the registries must hold, whatever modules are present.
     */
    static <T> List<T> registered(Class<T> service) throws Exception {
        List<T> out = new java.util.ArrayList<>();
        ClassLoader loader = RegistryHelpTest.class.getClassLoader();
        for (java.net.URL url : java.util.Collections.list(loader.getResources("META-INF/services/" + service.getName()))) {
            try (java.io.InputStream in = url.openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                    String name = line.replaceAll("#.*", "").strip();
                    if (!name.isEmpty()) out.add(service.cast(Class.forName(name, true, loader).getConstructor().newInstance()));
                }
            }
        }
        return out;
    }

    @Test
    void everyRegisteredKindAndStrategyIsListed() throws Exception {
        List<String> kinds = registered(ModelProvider.class).stream().map(ModelProvider::kind).distinct().toList();
        assertEquals(kinds, ModelSpec.kinds());
        List<String> names = registered(StrategyProvider.class).stream().map(StrategyProvider::name).distinct().toList();
        assertEquals(names, Strategies.names());
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
