package io.autospec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autospec.backend.CpuBackend;
import io.autospec.testing.GoldenRuns;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same samples across refactors: every strategy on every model family, on the CPU
 * backend, against the md5s recorded before the packages were split into API, SPI and internal (see {@link GoldenRuns}).
 */
class GoldenSamplesTest {
    private static final String RESOURCE = "/golden/cpu.txt";

    @Test
    void samplesAndRoundsMatchTheRecordedRuns() throws Exception {
        Map<String, String> now = GoldenRuns.compute(() -> new CpuBackend(2));
        if (GoldenRuns.writeIfAsked("CPU backend: key<TAB>md5 of the samples and rounds (GoldenRuns)", now)) return;
        Map<String, String> recorded = GoldenRuns.recorded(RESOURCE);
        assertEquals(recorded.keySet(), now.keySet(), "the set of golden runs");
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            assertEquals(e.getValue(), now.get(e.getKey()), "run " + e.getKey());
        }
    }
}
