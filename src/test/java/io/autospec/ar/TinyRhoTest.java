package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.autospec.Autospec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny rho (1 + rho rounds to 1, or grows too slowly to tell its powers apart) still advances the
 * trial batches by at least one trial, so a run ends; the sample is the lowest accepted trial
 * whatever the schedule, so it equals the doubling schedule's sample bit for bit.
 */
class TinyRhoTest {
    @ParameterizedTest
    @ValueSource(doubles = {1e-20, 1e-12, 1e-7, 1e-3})
    void tinyRhoEndsWithTheSameSamples(double rho) {
        ArZoo.Model m = ArZoo.stay(12, 3, 0.3);
        List<int[]> doubling = ArTesting.run(m.oracle(), Autospec.speculative(), 5, 40).samples();
        List<int[]> tiny = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> ArTesting.run(m.oracle(), Autospec.speculative().rho(rho), 5, 40).samples());
        for (int i = 0; i < doubling.size(); i++) assertArrayEquals(doubling.get(i), tiny.get(i), "rho " + rho + " sample " + i);
    }
}
