package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.backend.CpuBackend;
import io.autospec.core.OracleException;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import io.autospec.diffusion.Schedule;
import io.autospec.diffusion.models.IsotropicMixture;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX denoiser's contract: the drift it computes (against a float64 reference and against the
 * built-in mixture it encodes), t = 0, batch invariance, options and bad input.
 */
class OnnxDenoiserTest {
    static final Path DIR = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "src", "test", "resources", "io",
            "autospec", "onnx", "denoiser");
    static final Path MIXTURE = DIR.resolve("mixture.onnx");
    static final Path DIGITS = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "models", "digits-denoiser.onnx");
    static final OnnxDenoiser.Options ONE_THREAD = OnnxDenoiser.Options.defaults().withThreads(1);

    static OnnxDenoiser open(Path p) {
        return OnnxDenoiser.open(p, ONE_THREAD);
    }

    /** The graph against numpy's float64 evaluation of the same formula (mixture-check.csv). */
    @Test
    void mixtureGraphMatchesItsFloat64Reference() throws IOException {
        try (OnnxDenoiser dn = open(MIXTURE)) {
            for (String line : Files.readAllLines(DIR.resolve("mixture-check.csv"))) {
                if (line.startsWith("#")) continue;
                double[] v = java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray();
                double[] got = dn.evaluate(new double[] {v[1], v[2]}, new double[] {v[0]});
                for (int i = 0; i < 2; i++) {
                    assertEquals(v[3 + i], got[i], 2e-5 * (1 + Math.abs(v[3 + i])), "sigma " + v[0] + " coordinate " + i);
                }
            }
        }
    }

    /** f(t, x) = D(x / t; 1 / sqrt(t)): the ONNX drift equals the built-in mixture's drift (float32 precision). */
    @Test
    void driftIsTheBuiltInMixturesDrift() {
        IsotropicMixture gmm = IsotropicMixture.readGmm(DIR.resolve("mixture.csv"));
        try (OnnxDenoiser dn = open(MIXTURE)) {
            assertEquals(2, dn.dimension());
            DriftBatch a = new DriftBatch(dn), b = new DriftBatch(gmm);
            SplittableRandom rnd = new SplittableRandom(3);
            Schedule s = Schedule.geometric(64, 1e-3);
            for (int j = 0; j < 200; j++) {
                double t = s.time(rnd.nextInt(s.steps()));
                double[] x = {t * 3 * rnd.nextGaussian() + rnd.nextGaussian() * Math.sqrt(t), t * 3 * rnd.nextGaussian()};
                for (DriftBatch batch : new DriftBatch[] {a, b}) {
                    int off = batch.add(t, j, 0);
                    System.arraycopy(x, 0, batch.points(), off, 2);
                }
            }
            dn.denoise(a, 0, a.size(), a.out());
            gmm.denoise(b, 0, b.size(), b.out());
            for (int i = 0; i < 2 * a.size(); i++) {
                assertEquals(b.out()[i], a.out()[i], 1e-4 * (1 + Math.abs(b.out()[i])), "value " + i + " at t = " + a.time(i / 2));
            }
        }
    }

    /**
     * At t = 0 the drift is D(0; sigma_max): the mixture graph (metadata sigma_max = 1e4) gives the
     * mixture's mean within float32 precision; options and defaults choose sigma_max.
     */
    @Test
    void driftAtTimeZeroIsTheMean() {
        IsotropicMixture gmm = IsotropicMixture.readGmm(DIR.resolve("mixture.csv"));
        double[] mean = gmm.mean();
        try (OnnxDenoiser dn = open(MIXTURE)) {
            assertEquals(1e4, dn.sigmaMax());
            double[] m = dn.meanAtZero();
            // float32: the graph's logits are ~ -19 at sigma = 1e4 (ulp 2e-6), so the responsibilities carry ~1e-6
            // relative error; the exact D(0; 1e4) differs from the mean by ~|m|^2 / sigma^2 < 1e-7.
            for (int i = 0; i < 2; i++) assertEquals(mean[i], m[i], 1e-5, "coordinate " + i + " of " + java.util.Arrays.toString(m));
            DriftBatch batch = new DriftBatch(dn);
            batch.add(0, 0, 0);
            batch.points()[0] = 5; // x is ignored at t = 0
            dn.denoise(batch, 0, 1, batch.out());
            assertArrayEquals(m, java.util.Arrays.copyOf(batch.out(), 2));
            assertEquals(0, dn.forwardRows(), "t = 0 is answered from the value computed at load");
        }
        try (OnnxDenoiser dn = OnnxDenoiser.open(MIXTURE, ONE_THREAD.withSigmaMax(80.0))) {
            assertEquals(80, dn.sigmaMax());
        }
        try (OnnxDenoiser dn = open(DIR.resolve("mixture-column.onnx"))) {
            assertEquals(OnnxDenoiser.DEFAULT_SIGMA_MAX, dn.sigmaMax(), "no metadata: the default");
        }
    }

    /** sigma as [B, 1] with other input names: found from the shapes, same values as [B]. */
    @Test
    void sigmaColumnAndOtherNames() {
        try (OnnxDenoiser a = open(MIXTURE); OnnxDenoiser b = open(DIR.resolve("mixture-column.onnx"))) {
            double[] z = {0.3, -1, 2, 2}, sigma = {0.1, 3};
            assertArrayEquals(a.evaluate(z, sigma), b.evaluate(z, sigma));
        }
    }

    /**
     * Batch invariance: every row's drift is the same bits whatever the launch it is computed in
     * (launches of 1, 3, 17, 64, 257 and 1000 queries, the row at different positions). With
     * chunk = 0 (variable batches) the same rows are printed for contrast.
     */
    @Test
    void driftsDoNotDependOnTheirBatch() {
        for (Path model : new Path[] {DIGITS, MIXTURE}) {
            for (int chunk : new int[] {OnnxDenoiser.Options.DEFAULT_CHUNK, 0}) {
                try (OnnxDenoiser dn = OnnxDenoiser.open(model, ONE_THREAD.withChunk(chunk))) {
                    double maxDiff = batchVariation(dn);
                    System.out.println("batch invariance, " + model.getFileName() + ", chunk " + chunk + ": max |difference| "
                            + maxDiff + " across batch shapes");
                    if (chunk > 0) assertEquals(0.0, maxDiff, model + ": a row's drift changed with its batch");
                }
            }
        }
    }

    /** Largest difference of a row's drift across launches of different sizes and positions. */
    static double batchVariation(Denoiser dn) {
        int d = dn.dimension(), rows = 1000;
        SplittableRandom rnd = new SplittableRandom(11);
        double[] ts = new double[rows];
        double[][] xs = new double[rows][d];
        for (int r = 0; r < rows; r++) {
            ts[r] = Math.exp(rnd.nextDouble(Math.log(1e-2), Math.log(1e3)));
            for (int i = 0; i < d; i++) xs[r][i] = ts[r] * (rnd.nextDouble() * 2 - 1) + Math.sqrt(ts[r]) * rnd.nextGaussian();
        }
        double[][] first = null;
        double maxDiff = 0;
        for (int size : new int[] {1, 3, 17, 64, 257, 1000}) {
            double[][] got = new double[rows][];
            // launches of `size` rows, the rows rotated so each lands at other positions
            int shift = size / 2;
            for (int start = 0; start < rows; start += size) {
                DriftBatch batch = new DriftBatch(dn);
                int end = Math.min(rows, start + size);
                int[] order = new int[end - start];
                for (int k = 0; k < order.length; k++) order[k] = start + (k + shift) % order.length;
                for (int r : order) {
                    int off = batch.add(ts[r], r, 0);
                    System.arraycopy(xs[r], 0, batch.points(), off, d);
                }
                dn.denoise(batch, 0, batch.size(), batch.out());
                for (int k = 0; k < order.length; k++) got[order[k]] = java.util.Arrays.copyOfRange(batch.out(), k * d, k * d + d);
            }
            if (first == null) {
                first = got;
                continue;
            }
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) maxDiff = Math.max(maxDiff, Math.abs(first[r][i] - got[r][i]));
            }
        }
        return maxDiff;
    }

    @Test
    void optionsAndModelSpec() {
        assertTrue(ModelSpec.kinds().contains("onnx-denoiser"));
        ModelSpec ms = ModelSpec.parse("onnx-denoiser:" + MIXTURE + ",sigma-max=50,chunk=8,max-rows=100");
        assertTrue(ms.isDiffusion());
        Denoiser d = ms.denoiser(new ModelProvider.Context(1, "cpu"));
        try (OnnxDenoiser dn = (OnnxDenoiser) d) {
            assertEquals(50, dn.sigmaMax());
            assertEquals(8, dn.chunk());
            assertTrue(dn.describe().contains("mixture.onnx"), dn.describe());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.parse("onnx-denoiser:" + MIXTURE + ",colour=red").denoiser(ModelProvider.Context.defaults()));
        BadInputTest.assertMentions(e.getMessage(), "colour", "sigma-max");
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.parse("onnx-denoiser:" + MIXTURE + ",sigma-max=-1").denoiser(ModelProvider.Context.defaults()));
        BadInputTest.assertMentions(e.getMessage(), "sigma-max", "positive");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("onnx-denoiser:" + MIXTURE).autoregressive(4));
        BadInputTest.assertMentions(e.getMessage(), "diffusion");
    }

    static IllegalArgumentException refused(Path file, OnnxDenoiser.Options o) {
        return assertThrows(IllegalArgumentException.class, () -> OnnxDenoiser.open(file, o).close());
    }

    @Test
    void badModelsAreRefusedNamingFileAndWhatDiffers(@TempDir Path dir) throws IOException {
        BadInputTest.assertMentions(refused(dir.resolve("nope.onnx"), ONE_THREAD).getMessage(), "not found", "nope.onnx");
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, "this is not a protobuf at all".getBytes());
        BadInputTest.assertMentions(refused(garbage, ONE_THREAD).getMessage(), "garbage.onnx", "not a usable ONNX model");
        BadInputTest.assertMentions(refused(DIR.resolve("bad-int-x.onnx"), ONE_THREAD).getMessage(), "bad-int-x.onnx", "INT64", "float32");
        BadInputTest.assertMentions(refused(DIR.resolve("bad-rank-x.onnx"), ONE_THREAD).getMessage(), "bad-rank-x.onnx", "rank 3", "[B, d]");
        BadInputTest.assertMentions(refused(DIR.resolve("bad-sigma-shape.onnx"), ONE_THREAD).getMessage(), "bad-sigma-shape.onnx",
                "[?, 2]", "[B] or [B, 1]");
        BadInputTest.assertMentions(refused(DIR.resolve("bad-output-d.onnx"), ONE_THREAD).getMessage(), "bad-output-d.onnx", "d = 3", "d = 2");
        BadInputTest.assertMentions(refused(DIR.resolve("bad-one-input.onnx"), ONE_THREAD).getMessage(), "bad-one-input.onnx", "1 input");
        BadInputTest.assertMentions(refused(DIR.resolve("dynamic-d.onnx"), ONE_THREAD).getMessage(), "dynamic", "d=D");
        try (OnnxDenoiser dn = OnnxDenoiser.open(DIR.resolve("dynamic-d.onnx"), ONE_THREAD.withD(3))) {
            assertEquals(3, dn.dimension());
        }
        BadInputTest.assertMentions(refused(MIXTURE, ONE_THREAD.withD(5)).getMessage(), "d = 5", "d = 2");
        BadInputTest.assertMentions(refused(MIXTURE, ONE_THREAD.withX("nope")).getMessage(), "no input 'nope'");
        BadInputTest.assertMentions(refused(MIXTURE, ONE_THREAD.withOutput("E")).getMessage(), "no output 'E'");
        BadInputTest.assertMentions(refused(MIXTURE, ONE_THREAD.withX("x").withSigma("x")).getMessage(), "both name");
    }

    /** NaN outputs stop the run, naming sample, step and t. */
    @Test
    void nonFiniteDriftsStopTheRun() {
        try (OnnxDenoiser dn = open(DIR.resolve("bad-nan.onnx"))) {
            OracleException e = assertThrows(OracleException.class, () -> Autospec.diffusion(dn, Schedule.uniform(8, 0.1))
                    .strategy(Autospec.sequential()).backend(new CpuBackend(1)).seed(1).sample(2));
            BadInputTest.assertMentions(e.getMessage(), "bad-nan.onnx", "NaN", "sample 0", "step ", "t = ");
        }
    }
}
