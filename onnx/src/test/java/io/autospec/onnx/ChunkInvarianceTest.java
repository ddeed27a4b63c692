package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Schedule;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fixed chunks on ONNX Runtime: a chunk whose rows' outputs depend on their position (the CPU
 * kernels compute the last C mod 4 rows in a scalar tail) is refused at load, naming a chunk that
 * passes; with the chunk that opens, picard --tolerance 0 and auto return the sequential samples bit
 * for bit.
 */
class ChunkInvarianceTest {
    static final Pattern SUGGESTED = Pattern.compile("use chunk=(\\d+)");

    /** The digits denoiser at chunk 5: the same row at position 4 differs from position 0 (measured directly). */
    @Test
    void aScalarTailIsSeenByTheProbe() {
        try (OnnxDenoiser dn = OnnxDenoiser.open(OnnxDenoiserTest.DIGITS, OnnxDenoiser.Options.defaults().withThreads(1).withChunk(0))) {
            String variance = dn.network().positionVariance(5);
            System.out.println("digits denoiser, 5 rows on onnxruntime: " + variance);
            assertNotNull(variance, "five rows of the digits denoiser came out position-invariant: the probe sees nothing");
            assertNull(dn.network().positionVariance(8), "8 rows");
        }
    }

    @Test
    void chunksThatAreNotPositionInvariantAreRefusedAndTheSuggestionIsExact() {
        Schedule s = Schedule.geometric(24, 1e-2);
        for (int chunk : new int[] {5, 6, 7, 17}) {
            OnnxDenoiser.Options o = OnnxDenoiser.Options.defaults().withThreads(1).withChunk(chunk);
            int used = chunk;
            try {
                OnnxDenoiser.open(OnnxDenoiserTest.DIGITS, o).close();
            } catch (IllegalArgumentException e) {
                BadInputTest.assertMentions(e.getMessage(), "chunk=" + chunk, "not batch-invariant", "digits-denoiser.onnx");
                Matcher m = SUGGESTED.matcher(e.getMessage());
                assertTrue(m.find(), e.getMessage());
                used = Integer.parseInt(m.group(1));
                assertEquals(0, used % 4, e.getMessage());
            }
            try (OnnxDenoiser dn = OnnxDenoiser.open(OnnxDenoiserTest.DIGITS, o.withChunk(used))) {
                List<double[]> seq = run(dn, s, Autospec.sequential());
                for (Strategy st : new Strategy[] {Autospec.picard(16, 0), Autospec.auto()}) {
                    List<double[]> got = run(dn, s, st);
                    for (int j = 0; j < seq.size(); j++) assertArrayEquals(seq.get(j), got.get(j), "chunk " + used + " " + st + " sample " + j);
                }
            }
        }
    }

    /** The same rule on the AR path: the chunk that opens gives jacobi and auto the sequential samples. */
    @Test
    void theArPathChecksItsChunkToo() {
        for (int chunk : new int[] {5, 7}) {
            OnnxOracle.Options o = OnnxOracle.Options.defaults().withThreads(1).withChunk(chunk);
            int used = chunk;
            try {
                OnnxOracle.open(DigitsModelTest.DIGITS, o).close();
            } catch (IllegalArgumentException e) {
                BadInputTest.assertMentions(e.getMessage(), "chunk=" + chunk, "not batch-invariant", "digits.onnx");
                Matcher m = SUGGESTED.matcher(e.getMessage());
                assertTrue(m.find(), e.getMessage());
                used = Integer.parseInt(m.group(1));
            }
            System.out.println("digits.onnx: chunk " + chunk + " -> " + used);
            try (OnnxOracle or = OnnxOracle.open(DigitsModelTest.DIGITS, o.withChunk(used))) {
                List<int[]> seq = Autospec.autoregressive(or).strategy(Autospec.sequential()).seed(3).backend(new CpuBackend(1)).sample(6).samples();
                for (Strategy st : new Strategy[] {Autospec.jacobi(), Autospec.auto()}) {
                    List<int[]> got = Autospec.autoregressive(or).strategy(st).seed(3).backend(new CpuBackend(1)).sample(6).samples();
                    for (int j = 0; j < seq.size(); j++) assertArrayEquals(seq.get(j), got.get(j), "chunk " + used + " " + st + " sample " + j);
                }
            }
        }
    }

    static List<double[]> run(OnnxDenoiser dn, Schedule s, Strategy st) {
        return Autospec.diffusion(dn, s).strategy(st).seed(11).backend(new CpuBackend(1)).sample(3).samples();
    }
}
