package io.autospec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.models.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's seeds-per-size rule and its stops: an abandoned run and a refused one. */
class SweepStopsTest {
    private static Sweep.Config config(String strategy, List<Integer> sizes, int seeds, int samples, Path dir, int seedsMaxN,
                                       double killSeconds) {
        return new Sweep.Config(List.of(ModelSpec.parse("markov:q=2,stay=0.9")), List.of(StrategySpec.parse(strategy)), sizes,
                List.of(64), 1e-3, "geometric", seeds, samples, List.of("cpu"), 1, 60, dir, seedsMaxN, killSeconds);
    }

    private static Sweep.Result run(Sweep.Config c) throws IOException {
        return new Sweep(c).run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void allSeedsUpToSeedsMaxNThenOne(@TempDir Path dir) throws IOException {
        Sweep.Config c = config("jacobi", List.of(64, 128, 256), 2, 1, dir, 128, Double.POSITIVE_INFINITY);
        assertEquals(2, c.seedsAt(128));
        assertEquals(1, c.seedsAt(256));
        Sweep.Result r = run(c);
        assertEquals(List.of(64, 64, 128, 128, 256), r.runs().stream().map(Sweep.Run::n).toList());
        assertEquals(List.of(1L, 2L, 1L, 2L, 1L), r.runs().stream().map(Sweep.Run::seed).toList());
        assertTrue(r.stops().isEmpty());
        assertEquals(1, Files.readAllLines(dir.resolve("stops.csv")).size(), "header only");
        // The earlier constructor keeps every seed at every size and abandons nothing.
        Sweep.Config old = new Sweep.Config(c.models(), c.strategies(), c.sizes(), c.steps(), c.delta(), c.schedule(), 3, 1,
                c.backends(), 1, 60, dir);
        assertEquals(3, old.seedsAt(1 << 30));
        assertEquals(Double.POSITIVE_INFINITY, old.killRunSeconds());
    }

    @Test
    void aRunPastTheKillLimitIsAbandonedAndStopsTheCell(@TempDir Path dir) throws IOException {
        // Sequential needs 64 rounds; the listener throws after the first round once the (1 ns) limit has passed.
        Sweep.Result r = run(config("sequential", List.of(64, 128), 1, 1, dir, Integer.MAX_VALUE, 1e-9));
        assertTrue(r.runs().isEmpty());
        assertEquals(1, r.stops().size());
        Sweep.Stop s = r.stops().get(0);
        assertEquals("killed", s.kind());
        assertEquals(64, s.n());
        assertTrue(s.note().contains("killed after") && s.note().contains("(1 rounds done)"), s.note());
        List<String> csv = Files.readAllLines(dir.resolve("stops.csv"));
        assertEquals("model,strategy,backend,n,kind,note", csv.get(0));
        assertTrue(csv.get(1).startsWith("\"markov:q=2,stay=0.9\",\"sequential\",cpu,64,killed,"), csv.get(1));
        assertTrue(Files.readString(dir.resolve("slopes.csv")).isEmpty() || !Files.readString(dir.resolve("slopes.csv")).contains("sequential"));
    }

    @Test
    void aRunThatCannotFitIsRefusedWithTheAdvice(@TempDir Path dir) throws IOException {
        // The warm-up (at most 64 samples) fits; 2^28 samples of 256 steps need terabytes.
        Sweep.Result r = run(config("token:window=64", List.of(256, 512), 1, 1 << 28, dir, Integer.MAX_VALUE, Double.POSITIVE_INFINITY));
        assertTrue(r.runs().isEmpty());
        Sweep.Stop s = r.stops().get(0);
        assertEquals("refused", s.kind());
        assertEquals(256, s.n());
        assertTrue(s.note().startsWith("stopped at n=256 (seed 1): refused: this run needs about"), s.note());
        assertTrue(s.note().contains("more than the Java heap"), s.note());
    }
}
