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
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What library callers can and cannot reach (issue 9, "API surface"). */
class ApiSurfaceTest {

    /** Callers read the metrics of a run; they cannot change them (no public field, no public mutator). */
    @Test
    void runMetricsAreReadOnly() {
        for (Field f : RunMetrics.class.getDeclaredFields()) {
            assertFalse(Modifier.isPublic(f.getModifiers()), "public field RunMetrics." + f.getName());
        }
        for (Method m : RunMetrics.class.getMethods()) {
            if (m.getDeclaringClass() != RunMetrics.class) continue;
            assertTrue(m.getReturnType() != void.class, "public void method RunMetrics." + m.getName() + " can change the metrics");
        }
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
}
