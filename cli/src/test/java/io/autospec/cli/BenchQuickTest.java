package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark harness end to end in --quick mode: files written, slopes computed (not speed). */
class BenchQuickTest {

    @Test
    void quickSweepWritesCsvMarkdownPlotsAndSlopes(@TempDir Path dir) throws IOException {
        SampleCommandTest.Run r = SampleCommandTest.cli("bench", "--quick", "--threads", "2", "--out-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"runs.csv", "summary.csv", "slopes.csv", "summary.md"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        List<String> runs = Files.readAllLines(dir.resolve("runs.csv"));
        assertEquals("model,strategy,backend,n,seed,samples,rounds,launches,queries,wallSeconds,error", runs.get(0));
        // 2 AR models x 3 strategies + 1 diffusion model x 3 strategies, 3 sizes, 2 seeds
        assertEquals(1 + (2 * 3 + 3) * 3 * 2, runs.size());
        List<String> slopes = Files.readAllLines(dir.resolve("slopes.csv"));
        assertEquals(1 + 9, slopes.size());
        for (String line : slopes.subList(1, slopes.size())) {
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            double slope = Double.parseDouble(f[3]);
            assertTrue(Double.isFinite(slope), line);
            if (f[1].equals("\"sequential\"")) assertEquals(1.0, slope, 1e-9, "sequential rounds are exactly n: " + line);
        }
        for (String line : runs.subList(1, runs.size())) {
            if (line.contains("picard")) assertTrue(!line.endsWith(","), "Picard rows carry their measured error: " + line);
        }
        try (var pngs = Files.list(dir)) {
            assertEquals(3 * 3, pngs.filter(p -> p.toString().endsWith(".png")).count(), "3 plots per model");
        }
        assertTrue(r.out().contains("Fitted log-log slopes"));
    }
}
