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

    /** dpp:points=FILE and dpp:random-points: sizes, kept points, and errors naming file:line and value. */
    @Test
    void pointEnsembles() throws IOException {
        Path ok = file("pts.csv", "# x,y\n0,0\n0.5, 0.25\n\n1,1\n");
        ModelSpec spec = ModelSpec.parse("dpp:points=" + ok + ",bandwidth=0.4");
        assertEquals(3, spec.autoregressive(null).length());
        DeterminantalModels.Dpp dpp = (DeterminantalModels.Dpp) spec.provider();
        double[][] pts = dpp.points(spec.args());
        assertEquals(3, pts.length);
        assertEquals(0.25, pts[1][1]);
        io.autospec.ar.models.det.LEnsemble l = dpp.model(spec.args());
        assertEquals(0.5, l.points()[1][0]);
        assertEquals(400, ModelSpec.parse("dpp:random-points,n=400").autoregressive(null).length());
        double[][] r = dpp.points(ModelSpec.parse("dpp:random-points,n=50,seed=9").args());
        for (double[] p : r) assertTrue(p[0] >= 0 && p[0] < 1 && p[1] >= 0 && p[1] < 1);
        assertEquals(null, dpp.points(ModelSpec.parse("dpp:random,n=10,rank=2").args()));
        assertEquals(null, dpp.points(ModelSpec.parse("dpp:" + ok).args()));

        assertTrue(error("dpp:points=" + file("three.csv", "0,0\n1,2,3\n")).contains("three.csv:2: expected a point x,y, got 3 values"),
                error("dpp:points=" + dir.resolve("three.csv")));
        assertTrue(error("dpp:points=" + file("word.csv", "0,0\n1,y\n")).contains("word.csv:2: 'y' is not a number"));
        assertTrue(error("dpp:points=" + file("inf.csv", "Infinity,0\n")).contains("inf.csv:1: Infinity is not finite"));
        assertTrue(error("dpp:points=" + file("empty.csv", "# nothing\n")).contains("no points"));
        assertTrue(error("dpp:points=" + dir.resolve("missing.csv")).contains("not found"));
        assertTrue(error("dpp:points=" + ok + ",kernel=laplace").contains("kernel must be gaussian (the only point kernel), got 'laplace'"));
        assertTrue(error("dpp:points=" + ok + ",bandwidth=-2").contains("bandwidth must be a positive number, got -2"));
        assertTrue(error("dpp:points=" + ok + ",bandwidth=wide").contains("bandwidth must be a number, got 'wide'"));
        assertTrue(error("dpp:points=" + ok + ",n=3").contains("takes kernel= and bandwidth= only"));
        assertTrue(error("dpp:random-points").contains("dpp:random-points,n=N"));
        assertTrue(error("dpp:random-points,n=0").contains("n must be in [1, 8192], got 0"));
        assertTrue(error("dpp:random,n=10,rank=2,bandwidth=0.1").contains("bandwidth applies to dpp:points=FILE and dpp:random-points only"));
    }

    /** The constructed L is the formula exp(-|p_i - p_j|^2 / (2 B^2)), symmetric and PSD, and the ensemble's L equals it. */
    @Test
    void gaussianKernelMatchesTheFormulaAndIsPsd() {
        double[][] p = io.autospec.ar.models.det.LEnsemble.randomPoints(40, 3);
        double b = 0.15;
        double[][] l = io.autospec.ar.models.det.LEnsemble.gaussianKernel(p, b);
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 40; j++) {
                double d2 = Math.pow(p[i][0] - p[j][0], 2) + Math.pow(p[i][1] - p[j][1], 2);
                assertEquals(Math.exp(-d2 / (2 * b * b)), l[i][j], 1e-15);
                assertEquals(l[i][j], l[j][i]);
            }
        }
        double[] ev = new org.apache.commons.math3.linear.EigenDecomposition(new org.apache.commons.math3.linear.Array2DRowRealMatrix(l)).getRealEigenvalues();
        for (double v : ev) assertTrue(v > -1e-12, "eigenvalue " + v);
        org.apache.commons.math3.linear.RealMatrix back = io.autospec.ar.models.det.LEnsemble.gaussian(p, b, "40 points").matrix();
        for (int i = 0; i < 40; i++) for (int j = 0; j < 40; j++) assertEquals(l[i][j], back.getEntry(i, j), 1e-9);
    }
}
