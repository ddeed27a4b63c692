package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autospec.testing.GoldenRuns;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same samples across refactors on the CUDA backend's host side: the golden runs of
 * {@link GoldenRuns} on the host emulator, against the md5s recorded before the packages were split
 * into API, SPI and internal. Skipped, with the reason, when no host C++ compiler is available.
 */
class EmulatedGoldenTest {
    private static final String RESOURCE = "/golden/emulated.txt";

    @Test
    void samplesAndRoundsMatchTheRecordedRuns() throws Exception {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated golden runs skipped: " + r.reason());
        Map<String, String> now = GoldenRuns.compute(() -> new CudaBackend(new EmulatedDevice(r.executable(), 1L << 30),
                CudaBackend.Options.defaults().withCpuThreads(2)));
        if (GoldenRuns.writeIfAsked("CUDA backend on the host emulator: key<TAB>md5 of the samples and rounds (GoldenRuns)", now)) return;
        Map<String, String> recorded = GoldenRuns.recorded(RESOURCE);
        assertEquals(recorded.keySet(), now.keySet(), "the set of golden runs");
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            assertEquals(e.getValue(), now.get(e.getKey()), "run " + e.getKey());
        }
    }
}
