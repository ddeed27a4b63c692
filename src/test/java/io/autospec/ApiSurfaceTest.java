package io.autospec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.AutoSampler;
import io.autospec.ar.JacobiSampler;
import io.autospec.ar.TokenSampler;
import io.autospec.ar.models.det.DeterminantalOracle;
import io.autospec.backend.CpuBackend;
import io.autospec.core.OracleException;
import io.autospec.core.RunMetrics;
import io.autospec.core.SpeculativeSampler;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftQueries;
import io.autospec.spi.Progress;
import io.autospec.testing.ApiSurface;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What library callers can and cannot reach, and what a strategy of your own is written with. */
class ApiSurfaceTest {

    /**
     * Callers read the metrics of a run; the only public mutators are the {@link Progress} methods a
     * strategy records with (no public field, no other public void method).
     */
    @Test
    void runMetricsAreReadOnlyButForProgress() {
        for (Field f : RunMetrics.class.getDeclaredFields()) {
            assertFalse(Modifier.isPublic(f.getModifiers()), "public field RunMetrics." + f.getName());
        }
        Set<String> recorders = new TreeSet<>();
        for (Method m : Progress.class.getMethods()) recorders.add(m.getName() + Arrays.toString(m.getParameterTypes()));
        for (Method m : RunMetrics.class.getMethods()) {
            if (m.getDeclaringClass() != RunMetrics.class || m.getReturnType() != void.class) continue;
            assertTrue(recorders.contains(m.getName() + Arrays.toString(m.getParameterTypes())),
                    "public void method RunMetrics." + m.getName() + " can change the metrics and is not a Progress recorder");
        }
    }

    /**
     * The SPI package sits below the engine: its signatures mention only its own types and the JDK's,
     * so a strategy written against it never sees an internal or engine type.
     */
    @Test
    void spiSignaturesMentionOnlyTheSpiAndTheJdk() throws Exception {
        Map<String, Set<String>> spi = new TreeMap<>();
        spi.put("io.autospec.spi", ApiSurface.publicTypes(Autospec.class).get("io.autospec.spi"));
        Set<String> foreign = ApiSurface.typesInSignatures(Autospec.class, spi,
                p -> p.startsWith("io.autospec") && !p.equals("io.autospec.spi"));
        assertEquals(Set.of(), foreign);
    }

    /**
     * The deliberately wrong variants of the power tests cannot be selected through the public API:
     * no public method of a strategy (or of a model that has a planted variant) mentions a variant,
     * and the variant type is not public. One mechanism everywhere: a planted variant is a
     * package-private method returning a wrong copy, called by the tests of the same package.
     */
    @Test
    void plantedVariantsAreNotPublic() {
        for (Class<?> c : List.of(SpeculativeSampler.class, TokenSampler.class, JacobiSampler.class, AutoSampler.class,
                DeterminantalOracle.class, Autospec.class)) {
            for (Method m : c.getMethods()) {
                String name = m.getName().toLowerCase();
                assertFalse(name.contains("variant") || name.contains("planted"), "public " + c.getSimpleName() + "." + m.getName());
                for (Class<?> p : m.getParameterTypes()) {
                    assertTrue(Modifier.isPublic(p.getModifiers()), c.getSimpleName() + "." + m.getName() + " takes non-public " + p);
                }
            }
        }
        for (Class<?> nested : SpeculativeSampler.class.getDeclaredClasses()) {
            assertFalse(Modifier.isPublic(nested.getModifiers()), "public nested type " + nested.getName());
        }
    }

    /** A strategy, as callers hold it, is opaque: name, exactness, settings, spec, memory terms. */
    @Test
    void strategyIsOpaque() {
        Set<String> methods = new TreeSet<>();
        for (Method m : io.autospec.core.Strategy.class.getMethods()) methods.add(m.getName());
        assertEquals(new TreeSet<>(List.of("name", "exact", "settings", "spec", "memoryTerms")), methods);
    }

    /** An anonymous oracle or denoiser describes itself by class and shape, in reports and error messages. */
    @Test
    void anonymousModelsGetAUsefulDescription() {
        ConditionalOracle nan = new ConditionalOracle() {
            @Override
            public int length() {
                return 3;
            }

            @Override
            public int alphabet() {
                return 2;
            }

            @Override
            public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
                Arrays.fill(out, from * 2, to * 2, Double.NaN);
            }
        };
        assertEquals("ApiSurfaceTest$1(n=3, q=2)", nan.describe());
        try (CpuBackend backend = new CpuBackend(1)) {
            OracleException e = assertThrows(OracleException.class, () -> Autospec.autoregressive(nan).backend(backend).sample(1));
            assertTrue(e.getMessage().startsWith("oracle ApiSurfaceTest$1(n=3, q=2) returned NaN"), e.getMessage());
        }
        Denoiser zero = new Denoiser() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void denoise(DriftQueries batch, int from, int to, double[] out) {
                Arrays.fill(out, from * 2, to * 2, 0.0);
            }
        };
        assertEquals("ApiSurfaceTest$2(d=2)", zero.describe());
        class Local implements Denoiser {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void denoise(DriftQueries batch, int from, int to, double[] out) {}
        }
        assertEquals("ApiSurfaceTest$1Local(d=1)", new Local().describe());
        List<String> names = new ArrayList<>();
        for (ConditionalOracle o : List.of(io.autospec.ar.models.MarkovChain.stay(4, 2, 0.9))) names.add(o.describe());
        assertEquals(List.of("markov(n=4, q=2, stay=0.9)"), names, "models that name themselves keep their names");
    }

    /**
     * The published surface of the core library, pinned: the public types of every package. Packages
     * under {@code io.autospec.internal} are not API (their package docs say so); every other package
     * is, and a type added to or removed from it is a decision this test makes visible.
     */
    @Test
    void publicTypesOfEveryPackageArePinned() throws Exception {
        Map<String, Set<String>> api = ApiSurface.publicTypes(Autospec.class);
        api.keySet().removeIf(ApiSurface::internal);
        ApiSurface.assertPinned(pinned(PUBLIC_TYPES), api);
    }

    /**
     * No API signature (public or protected member, supertype) of an API package mentions an internal
     * type, but the exceptions listed here, each for a reason given beside it.
     */
    @Test
    void apiSignaturesDoNotExposeInternalTypes() throws Exception {
        Map<String, Set<String>> api = ApiSurface.publicTypes(Autospec.class);
        for (String engineType : ENGINE_TYPES) {
            int dot = engineType.lastIndexOf('.');
            assertTrue(api.get(engineType.substring(0, dot)).remove(engineType.substring(dot + 1)), engineType + " is no longer public");
        }
        Set<String> actual = ApiSurface.internalTypesInSignatures(Autospec.class, api);
        assertEquals(new TreeSet<>(List.of(INTERNAL_IN_API)), actual, "internal types in API signatures (update INTERNAL_IN_API with a reason):\n"
                + String.join("\n", actual));
    }

    /** Package, then its public types (nested ones as Outer.Inner), for every API package of the core. */
    private static final String[] PUBLIC_TYPES = {
        "io.autospec", "ArRun Autospec DiffusionRun MemoryEstimate MemoryEstimate.Part RunResult RunSettings",
        "io.autospec.ar", "ArProcess AutoSampler Branch ConditionalBatch ConditionalEvaluator ConditionalOracle ConditionalQueries Conditioned"
                + " ForwardingConditionalOracle JacobiSampler Order PinnedContext PinnedContext.PinnedConsumer PrefixSummary ResidentJob ResidentResult ResidentResult.FixedPointState ResidentRounds"
                + " ResumableRounds TokenSampler"
                + " Vocabulary Vocabulary.Carrier",
        "io.autospec.ar.models", "CurieWeiss LeftToRight MarkovChain ParityOracle ProductOracle TableOracle",
        "io.autospec.ar.models.det", "AztecDiamond DeterminantalOracle DominoShuffling ExactAnchor LEnsemble SpanningTrees SpectralDppSampler"
                + " WilsonSampler",
        "io.autospec.backend", "Backend BackendProvider Backends Backends.UnavailableException CpuBackend CpuBackend.Provider",
        "io.autospec.core", "AutoRounds ChainStrategy Coupling Coupling.Rule DeviceRounds FixedPoint MemoryTerms OracleException OracleRequest QueryBatch RoundListener RoundScheduler RunMetrics"
                + " SequentialSampler SpanSpeculation Speculation SpeculativeSampler StepProcess Strategy TokenWindows",
        "io.autospec.diffusion", "Denoiser DiffusionProcess DriftBatch DriftEvaluator DriftQueries PathSegment PicardSampler Schedule",
        "io.autospec.diffusion.models", "BoxUniform Denoisers IsotropicMixture MixtureFiles",
        "io.autospec.models", "BuiltInModels BuiltInModels.Atoms BuiltInModels.Box BuiltInModels.CurieWeissKind"
                + " BuiltInModels.Gaussian BuiltInModels.Gmm BuiltInModels.LtrMarkov BuiltInModels.Markov"
                + " BuiltInModels.Parity BuiltInModels.Potts BuiltInModels.Product BuiltInModels.Table"
                + " DeterminantalModels DeterminantalModels.Aztec DeterminantalModels.Dpp DeterminantalModels.Kind DeterminantalModels.Ust"
                + " KeyedModelProvider ModelArgs ModelMemory ModelProvider ModelProvider.Context"
                + " ModelSpec ModelSpec.FileReader ModelSpecException",
        "io.autospec.spec", "SpecText Strategies StrategyProvider",
        "io.autospec.spi", "CancelScope Deferred Key Node Progress Purpose Sampled",
    };

    /**
     * Engine machinery that is public in an API package only because moving it to
     * {@code io.autospec.internal} would close a package cycle (the strategies of {@code core},
     * {@code ar} and {@code diffusion} are API and are written against it); their class and package docs
     * say <b>internal</b>. Their own signatures are not checked. (The SPI a strategy implements,
     * {@code ChainStrategy}, {@code StepProcess} and {@code Speculation}, is checked like the API.)
     */
    private static final String[] ENGINE_TYPES = {
        "io.autospec.core.OracleRequest", "io.autospec.core.QueryBatch", "io.autospec.core.RoundScheduler",
        "io.autospec.ar.ArProcess", "io.autospec.diffusion.DiffusionProcess", "io.autospec.diffusion.PathSegment",
    };

    /**
     * The API signatures that mention an internal type, each for the reason given: none, since the types
     * a strategy is written with (Node, Deferred, Key, ...) are the SPI's.
     */
    private static final String[] INTERNAL_IN_API = {};

    private static Map<String, Set<String>> pinned(String[] pairs) {
        Map<String, Set<String>> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], new TreeSet<>(List.of(pairs[i + 1].split(" "))));
        return m;
    }
}
