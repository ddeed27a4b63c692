package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The device-family registry: every zoo model has exactly one family, and the service files list them. */
class DeviceFamilyTest {

    @Test
    void everyZooModelHasExactlyOneFamily() {
        CountingDevice dev = new CountingDevice(1 << 24);
        try (DeviceHeap heap = new DeviceHeap(dev, 1 << 24)) {
            for (Map.Entry<String, ConditionalOracle> m : Zoo.ar(10).entrySet()) {
                List<String> answered = new ArrayList<>();
                for (DeviceFamily f : DeviceFamily.all()) {
                    ArModel model = f.arModel(m.getValue(), heap);
                    if (model != null) {
                        answered.add(f.getClass().getSimpleName());
                        model.close();
                    }
                }
                assertEquals(1, answered.size(), m.getKey() + ": families " + answered);
            }
            Map<String, Denoiser> dens = new LinkedHashMap<>();
            dens.put("zoo gmm", IsotropicMixture.randomGmm(3, 2, 5));
            dens.put("zoo box", new BoxUniform(2, -1, 1));
            dens.put("MixtureSpec", new TestDenoisers.Mixture(1, new double[] {1}, new double[] {0}, new double[] {1}));
            dens.put("BoxSpec", new TestDenoisers.Box(new double[] {0}, new double[] {1}));
            for (Map.Entry<String, Denoiser> e : dens.entrySet()) {
                List<String> answered = new ArrayList<>();
                for (DeviceFamily f : DeviceFamily.all()) {
                    DriftModel model = f.driftModel(e.getValue(), heap);
                    if (model != null) {
                        answered.add(f.getClass().getSimpleName());
                        model.close();
                    }
                }
                assertEquals(1, answered.size(), e.getKey() + ": families " + answered);
            }
            // Planted: a denoiser no family knows gets none.
            for (DeviceFamily f : DeviceFamily.all()) assertEquals(null, f.driftModel(new TestDenoisers.Shrink(), heap));
        }
    }

    @Test
    void theServiceFilesListEveryFamilyOnce() throws IOException {
        List<String> listed = new ArrayList<>();
        // The built-ins' service files, then those of the public SPI (whose families come after the built-ins).
        for (String spi : List.of("io.autospec.cuda.DeviceFamily", "io.autospec.cuda.spi.DeviceFamily")) {
            var urls = DeviceFamily.class.getClassLoader().getResources("META-INF/services/" + spi);
            while (urls.hasMoreElements()) {
                try (InputStream in = urls.nextElement().openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String name = line.replaceAll("#.*", "").strip();
                        if (!name.isEmpty()) listed.add(name);
                    }
                }
            }
        }
        List<String> loaded = new ArrayList<>();
        for (DeviceFamily f : DeviceFamily.all()) loaded.add((f instanceof ExtensionFamily e ? e.family : f).getClass().getName());
        assertEquals(listed.size(), loaded.size(), "every listed family loads: " + listed);
        assertEquals(listed.stream().distinct().count(), listed.size(), "no family listed twice: " + listed);
        for (String family : List.of("Product", "Markov", "CurieWeiss", "Parity", "Table", "Mixture", "Box", "Test")) {
            assertTrue(loaded.contains("io.autospec.cuda." + family + "Family"), family + " in " + loaded);
        }
        assertTrue(loaded.contains("org.example.devicefamily.ExampleFamily"), "the SPI family in " + loaded);
    }
}
