package io.autospec.nn;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed tiny transformer fixture (make_tiny_transformer.py): against ONNX Runtime and across batches. */
class TinyTransformerTest {
    static final Path FILE = Path.of(System.getProperty("autospec.source.dir", "."))
            .resolve("nn/src/test/resources/io/autospec/nn/tiny-transformer.onnx");
    static final int N = 8, Q = 4;

    @Test
    void readsAsDeclared() {
        OnnxGraph g = OnnxGraph.read(FILE);
        assertEquals(17, g.opset());
        assertEquals("tokens: int64[batch, 8]", g.inputs().get(0).toString());
        assertEquals("logits: float32[batch, 8, 4]", g.outputs().get(0).toString());
        assertEquals("4", g.metadata().get("autospec.mask"));
        assertEquals(3, g.opHistogram().get("LayerNormalization"));
        assertTrue(g.unsupported().isEmpty());
    }

    @Test
    void matchesOnnxRuntime() {
        long[] t = ModelsTest.tokens(new Random(9), 16, N, Q);
        ModelsTest.compare(FILE, List.of(new Ort.In("tokens", t, new long[] {16, N})), 1);
    }

    @Test
    void batchInvariant() {
        ModelsTest.batchInvariant(FILE, new int[] {7, 16, 64}, Map.of("tokens", N),
                (r, b) -> List.of(new Ort.In("tokens", ModelsTest.tokens(r, b, N, Q), new long[] {b, N})));
    }
}
