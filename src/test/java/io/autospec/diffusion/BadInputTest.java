package io.autospec.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.backend.CpuBackend;
import io.autospec.core.OracleException;
import io.autospec.core.Strategy;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.Denoisers;
import io.autospec.diffusion.models.IsotropicMixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad oracles, bad schedules and bad points fail loudly, with messages that say what is wrong. */
class BadInputTest {

    /** A user denoiser (f(t, x) = x / (1 + t), the target N(0, I) in d = 2) that returns {@code bad} in coordinate 1 for every query at t &gt;= badTime. */
    static final class Faulty implements Denoiser {
        private final double bad;
        private final double badTime;

        Faulty(double bad, double badTime) {
            this.bad = bad;
            this.badTime = badTime;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public String describe() {
            return "faulty";
        }

        @Override
        public void denoise(DriftQueries batch, int from, int to, double[] out) {
            for (int j = from; j < to; j++) {
                double t = batch.time(j);
                for (int i = 0; i < 2; i++) out[j * 2 + i] = batch.points()[j * 2 + i] / (1 + t);
                if (t >= badTime) out[j * 2 + 1] = bad;
            }
        }
    }

    private static String message(Executable e) {
        return assertThrows(OracleException.class, e).getMessage();
    }

    @Test
    void nonFiniteDriftNamesTheQuery() {
        Schedule s = Schedule.uniform(8, 0.125); // t_i = i
        for (Strategy st : new Strategy[] {Autospec.sequential(), Autospec.speculative(), Autospec.picard(4, 0.01)}) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                try (CpuBackend b = new CpuBackend(1)) {
                    String msg = message(() -> Autospec.diffusion(new Faulty(bad, 5.0), s).strategy(st).backend(b).sample(3));
                    assertTrue(msg.contains("faulty") && msg.contains(String.valueOf(bad)) && msg.contains("coordinate 1"), msg);
                    assertTrue(msg.contains("sample ") && msg.contains("step ") && msg.contains("t = "), msg);
                    // The first bad query of the run is at some t >= 5, i.e. a step >= 5.
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("step (\\d+), t = ([0-9.]+)").matcher(msg);
                    assertTrue(m.find(), msg);
                    int step = Integer.parseInt(m.group(1));
                    assertTrue(step >= 5 && step < 8, msg);
                    assertEquals(s.time(step), Double.parseDouble(m.group(2)), 0.0, msg);
                }
            }
        }
    }

    @Test
    void nonFiniteDriftAtTimeZeroIsCaughtToo() {
        try (CpuBackend b = new CpuBackend(1)) {
            String msg = message(() -> Autospec.diffusion(new Faulty(Double.NaN, 0.0), Schedule.uniform(4, 0.25))
                    .strategy(Autospec.speculative()).backend(b).sample(2));
            assertTrue(msg.contains("step 0, t = 0.0"), msg);
        }
    }

    @Test
    void scheduleErrorsAreClear() {
        assertMessage(() -> Schedule.of(0.5, 1, 2), "t_0 = 0");
        assertMessage(() -> Schedule.of(0, 1, 1), "increase strictly");
        assertMessage(() -> Schedule.of(0, 2, 1), "increase strictly");
        assertMessage(() -> Schedule.of(0, Double.NaN), "finite");
        assertMessage(() -> Schedule.of(0, 1, Double.POSITIVE_INFINITY), "finite");
        assertMessage(() -> Schedule.of(Double.NaN, 1), "t_0 = 0");
        assertMessage(() -> Schedule.of(0), "at least one step");
        assertMessage(() -> Schedule.of(), "at least one step");
        assertMessage(() -> Schedule.uniform(0, 0.1), "steps must be >= 1");
        assertMessage(() -> Schedule.uniform(-3, 0.1), "steps must be >= 1");
        assertMessage(() -> Schedule.geometric(0, 0.1), "steps must be >= 1");
        assertMessage(() -> Schedule.uniform(10, -0.1), "delta must be a positive number");
        assertMessage(() -> Schedule.uniform(10, 0), "delta must be a positive number");
        assertMessage(() -> Schedule.uniform(10, Double.NaN), "delta must be a positive number");
        assertMessage(() -> Schedule.uniform(10, 1e-320), "delta must be a positive number"); // 1/delta overflows
        assertMessage(() -> Schedule.geometric(10, 0.01, 0), "tMin");
        assertMessage(() -> Schedule.geometric(10, 0.01, 200), "tMin");
        assertMessage(() -> Schedule.geometric(10, 0.01, Double.NaN), "tMin");
    }

    @Test
    void validSchedulesHaveTheAdvertisedShape() {
        Schedule u = Schedule.uniform(4, 0.5);
        assertEquals(4, u.steps());
        assertEquals(2.0, u.horizon(), 0.0);
        assertEquals(0.5, u.dt(1), 1e-15);
        Schedule g = Schedule.geometric(5, 0.01, 0.1);
        assertEquals(0.0, g.time(0), 0.0);
        assertEquals(0.1, g.time(1), 1e-15);
        assertEquals(100.0, g.horizon(), 0.0);
        double ratio = g.time(2) / g.time(1);
        for (int i = 2; i < 5; i++) assertEquals(ratio, g.time(i + 1) / g.time(i), 1e-12);
        Schedule one = Schedule.geometric(1, 0.1);
        assertEquals(1, one.steps());
        assertEquals(10.0, one.horizon(), 0.0);
        // One step with T <= 1: the default tMin must not collide with T.
        for (double delta : new double[] {1.0, 2.0, 10.0}) {
            Schedule g1 = Schedule.geometric(1, delta);
            assertEquals(1, g1.steps());
            assertEquals(1 / delta, g1.horizon(), 0.0);
        }
        assertEquals(0.5 / 3, Schedule.geometric(3, 2.0).time(1), 1e-15);
    }

    private static void assertMessage(Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' should mention '" + part + "'");
    }

    @Test
    void pointOfTheWrongDimensionIsRejected() {
        IsotropicMixture gmm = IsotropicMixture.randomGmm(3, 2, 1);
        assertMessage(() -> Denoisers.evaluate(gmm, 1.0, new double[] {1, 2, 3}), "3 coordinates but the model");
        assertMessage(() -> Denoisers.evaluate(gmm, 1.0, new double[] {1, 2, 3}), "dimension d = 2");
        assertMessage(() -> Denoisers.evaluate(new BoxUniform(3, 0, 1), 1.0, new double[] {1}), "1 coordinate but");
        assertMessage(() -> Denoisers.evaluate(gmm, -1.0, new double[] {1, 2}), "time");
        assertMessage(() -> Denoisers.evaluate(gmm, 1.0, new double[] {1, Double.NaN}), "coordinate 1");
        assertEquals(2, Denoisers.evaluate(gmm, 1.0, new double[] {1, 2}).length);
    }

    @Test
    void modelParametersAreValidated() {
        double[][] m2 = {{0, 0}, {1, 1}};
        assertMessage(() -> new IsotropicMixture(new double[] {1, -1}, m2, new double[] {1, 1}, null), "component 1: weight -1");
        assertMessage(() -> new IsotropicMixture(new double[] {1, Double.NaN}, m2, new double[] {1, 1}, null), "component 1: weight NaN");
        assertMessage(() -> new IsotropicMixture(new double[] {0, 0}, m2, new double[] {1, 1}, null), "positive, finite sum");
        assertMessage(() -> new IsotropicMixture(new double[] {1, 1}, m2, new double[] {-0.5, 1}, null), "component 0: variance -0.5");
        assertMessage(() -> new IsotropicMixture(new double[] {1, 1}, m2, new double[] {1, Double.POSITIVE_INFINITY}, null), "component 1: variance");
        assertMessage(() -> new IsotropicMixture(new double[] {1, 1}, new double[][] {{0, 0}, {1}}, new double[] {1, 1}, null),
                "component 1: mean has 1 coordinates, but component 0 has 2");
        assertMessage(() -> new IsotropicMixture(new double[] {1, 1}, new double[][] {{0, 0}, {1, Double.NaN}}, new double[] {1, 1}, null),
                "component 1: mean coordinate 1 is NaN");
        assertMessage(() -> new IsotropicMixture(new double[] {1}, m2, new double[] {1, 1}, null), "one weight, mean and variance per component");
        assertMessage(() -> new IsotropicMixture(new double[0], new double[0][], new double[0], null), "at least one component");
        assertMessage(() -> new IsotropicMixture(new double[] {1}, new double[][] {{}}, new double[] {1}, null), "d must be >= 1");
        assertMessage(() -> IsotropicMixture.atoms(m2, new double[] {1}), "2 points but 1 weights");
        assertMessage(() -> IsotropicMixture.atoms(new double[][] {{0, 0}, {1, 1, 1}}, null), "component 1");
        assertMessage(() -> IsotropicMixture.gaussian(new double[] {0}, -1), "variance -1");
        assertMessage(() -> IsotropicMixture.randomGmm(0, 2, 1), "k >= 1");
        assertMessage(() -> IsotropicMixture.randomGmm(2, 0, 1), "d >= 1");
        assertMessage(() -> new BoxUniform(0, 0, 1), "dimension");
        assertMessage(() -> new BoxUniform(2, 1, 1), "lo < hi");
        assertMessage(() -> new BoxUniform(2, 0, Double.POSITIVE_INFINITY), "lo < hi");
        assertMessage(() -> new BoxUniform(2, -Double.MAX_VALUE, Double.MAX_VALUE), "lo < hi");
    }
}
