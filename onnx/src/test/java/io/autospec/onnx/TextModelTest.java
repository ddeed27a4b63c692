package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.ar.ArTesting;
import io.autospec.ar.Conditioned;
import io.autospec.ar.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped text model (models/text.onnx): its vocabulary, its shape, and an infilling run whose
 * pins come back in place and whose auto samples equal the sequential ones bit for bit.
 */
class TextModelTest {
    static final Path TEXT = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "models", "text.onnx");

    @Test
    void shippedTextModelInfills() {
        Assumptions.assumeTrue(Files.isRegularFile(TEXT), "no " + TEXT);
        try (OnnxOracle m = OnnxOracle.open(TEXT, OnnxOracle.Options.defaults().withThreads(1))) {
            Vocabulary v = m.vocabulary();
            assertNotNull(v, "the text model carries its vocabulary");
            assertEquals(37, v.size());
            assertEquals(" !'(),-.:;?abcdefghijklmnopqrstuvwxyz", v.symbols());
            assertTrue(m.length() >= 128, "n = " + m.length());
            String pattern = "and ___ said unto moses, ";
            int[] given = v.pattern(pattern, m.length());
            // Pin all but the three blanks and the last 12 positions: a short run.
            for (int i = pattern.length(); i < m.length() - 12; i++) given[i] = v.encode(' ');
            Conditioned c = Conditioned.of(m, given);
            assertEquals(15, c.length());
            List<int[]> seq = ArTesting.run(c, Autospec.sequential(), 1, 2).samples();
            List<int[]> auto = ArTesting.run(c, Autospec.auto(), 1, 2).samples();
            for (int i = 0; i < seq.size(); i++) {
                assertArrayEquals(seq.get(i), auto.get(i));
                String s = v.decode(c.complete(seq.get(i)));
                assertEquals(m.length(), s.length());
                assertTrue(s.startsWith("and ") && s.substring(7).startsWith(" said unto moses, "), s);
            }
        }
    }
}
