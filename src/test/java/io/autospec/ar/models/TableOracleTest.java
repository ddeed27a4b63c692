package io.autospec.ar.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ArTesting;
import io.autospec.ar.ArZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TableOracle} against enumeration of its weights, including contexts of probability zero. */
class TableOracleTest {
    @TempDir
    Path dir;

    /** The CSV of the chi-square suite (q = 3, zero weights and missing rows), read back. */
    @Test
    void csvTableMatchesEnumeration() {
        int impossible = 0;
        for (int n = 4; n <= 6; n++) {
            ArZoo.Model model = ArZoo.table(dir, n);
            TableOracle t = (TableOracle) model.oracle();
            for (int i = 0; i < model.law().length; i++) {
                assertEquals(model.law()[i], t.probability(ArTesting.decode(i, n, 3)), 1e-15, "cell " + i);
            }
            SplittableRandom rnd = new SplittableRandom(200 + n);
            ArTesting.Coverage drawn = ArTesting.checkConditionals(t, model.law(), rnd, 20, false, 1e-12);
            assertEquals(0, drawn.impossibleContexts(), "contexts drawn from mu are possible");
            impossible += ArTesting.checkConditionals(t, model.law(), rnd, 150, true, 1e-12).impossibleContexts();
        }
        assertTrue(impossible >= 5, "expected impossible contexts, got " + impossible);
    }

    /** A random binary table over [2]^7 with many zero rows, built in code. */
    @Test
    void randomBinaryTableMatchesEnumeration() {
        SplittableRandom rnd = new SplittableRandom(301);
        int n = 7, cells = 128;
        int[][] as = new int[cells][];
        double[] ws = new double[cells];
        for (int i = 0; i < cells; i++) {
            as[i] = ArTesting.decode(i, n, 2);
            ws[i] = rnd.nextInt(2) == 0 ? 0 : rnd.nextDouble();
        }
        TableOracle t = new TableOracle(n, 2, as, ws, "random");
        double[] law = ArTesting.law(n, 2, x -> ws[ArTesting.index(x, 2)]);
        ArTesting.checkConditionals(t, law, rnd, 30, false, 1e-12);
        ArTesting.Coverage any = ArTesting.checkConditionals(t, law, rnd, 100, true, 1e-12);
        assertTrue(any.impossibleContexts() >= 20, "expected impossible contexts, got " + any);
    }

    @Test
    void malformedFilesNameTheLine() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "0,1,2.0\n1,x,1.0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableOracle.read(f));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
        Files.writeString(f, "0,1,2.0\n1,1,-1\n");
        e = assertThrows(IllegalArgumentException.class, () -> TableOracle.read(f));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
        Files.writeString(f, "0,1,2.0\n0,1,1.0\n");
        e = assertThrows(IllegalArgumentException.class, () -> TableOracle.read(f));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        Files.writeString(f, "0,1,0\n1,1,0\n");
        e = assertThrows(IllegalArgumentException.class, () -> TableOracle.read(f));
        assertTrue(e.getMessage().contains("no positive weight"), e.getMessage());
    }

    /** Weights whose sum overflows are refused: they once ran and then failed with "oracle returned NaN". */
    @Test
    void weightsWhoseSumOverflowsAreRefusedWithFileLineAndValue() throws Exception {
        Path f = dir.resolve("huge.csv");
        Files.writeString(f, "0,0,1e308\n# comment\n0,1,1.5e308\n1,1,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableOracle.read(f));
        assertTrue(e.getMessage().startsWith(f + ":3:") && e.getMessage().contains("1.5e308") && e.getMessage().contains("overflow"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TableOracle(1, 2, new int[][] {{0}, {1}}, new double[] {1e308, 1e308}, "code"));
        assertTrue(e.getMessage().contains("scale them down"), e.getMessage());
        // the largest finite total is still accepted
        Files.writeString(f, "0,0,1e308\n0,1,7e307\n");
        assertEquals(2, TableOracle.read(f).length());
    }
}
