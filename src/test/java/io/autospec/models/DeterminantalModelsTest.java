package io.autospec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ConditionalOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The determinantal model specs: sizes, and input errors that name the file, line and value. */
class DeterminantalModelsTest {
    @TempDir
    Path dir;

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(spec).autoregressive(null)).getMessage();
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void sizes() {
        assertEquals(12, ModelSpec.parse("ust:grid=3x3").autoregressive(null).length());
        assertEquals(16, ModelSpec.parse("aztec:order=2").autoregressive(null).length());
        ConditionalOracle d = ModelSpec.parse("dpp:random,n=50,rank=5,seed=3").autoregressive(null);
        assertEquals(50, d.length());
        assertTrue(ModelSpec.parse("ust:grid=3x3").fixesLength());
        assertTrue(error("ust:grid=3by3").contains("grid must be WxH"));
    }

    @Test
    void nMustAgree() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("aztec:order=2").autoregressive(17)).getMessage().contains("n = 16"));
    }

    @Test
    void edgeListErrors() throws IOException {
        Path ok = file("ok.csv", "# a triangle\n0,1\n1,2,2.5\n2,0\n");
        assertEquals(3, ModelSpec.parse("ust:" + ok).autoregressive(null).length());
        Path loop = file("loop.csv", "0,1\n1,1\n");
        assertTrue(error("ust:" + loop).contains("line 2: self-loop at vertex 1"), error("ust:" + loop));
        Path weight = file("weight.csv", "0,1\n1,2,-3\n");
        assertTrue(error("ust:" + weight).contains("line 2: weight -3"), error("ust:" + weight));
        Path word = file("word.csv", "0,1\n1,x\n");
        assertTrue(error("ust:" + word).contains("line 2: vertex id 'x'"), error("ust:" + word));
        Path split = file("split.csv", "0,1\n2,3\n");
        assertTrue(error("ust:" + split).contains("disconnected (2 components)"), error("ust:" + split));
        assertTrue(error("ust:" + dir.resolve("missing.csv")).contains("not found"));
    }

    @Test
    void ensembleErrors() throws IOException {
        Path ok = file("l.csv", "2,1\n1,2\n");
        assertEquals(2, ModelSpec.parse("dpp:" + ok).autoregressive(null).length());
        Path asym = file("asym.csv", "2,1\n0.5,2\n");
        assertTrue(error("dpp:" + asym).contains("not symmetric: line 1 column 2 is 1.0"), error("dpp:" + asym));
        Path indefinite = file("indef.csv", "1,2\n2,1\n");
        assertTrue(error("dpp:" + indefinite).contains("not positive semidefinite (eigenvalue -0.99"), error("dpp:" + indefinite));
        Path ragged = file("ragged.csv", "1,0\n0\n");
        assertTrue(error("dpp:" + ragged).contains("line 2: 1 numbers, expected 2"), error("dpp:" + ragged));
        Path nan = file("nan.csv", "1,0\n0,abc\n");
        assertTrue(error("dpp:" + nan).contains("line 2: 'abc' is not a number"), error("dpp:" + nan));
        assertTrue(error("dpp:random,n=10").contains("dpp:random,n=N,rank=R"));
        assertTrue(error("dpp:random,n=10,rank=11").contains("rank must be in [1, 10]"));
        assertTrue(error("aztec:order=0").contains("order must be in [1, 4096], got 0"));
        assertTrue(error("ust:grid=1x1").contains("2..2^20 vertices"));
    }
}
