package io.autospec.nn;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped models end to end against ONNX Runtime, and batch invariance: a row's output bits do
 * not depend on the batch it is evaluated in or on its position there.
 */
class ModelsTest {
    static final Path MODELS = Path.of(System.getProperty("autospec.source.dir", ".")).resolve("onnx/models");
    /** max |ours - ORT| / max(1, |ORT|) allowed: fp32 rounding of different but equally exact orders. */
    static final double TOL = 1e-4;

    static long[] tokens(Random r, int rows, int n, int q) {
        long[] t = new long[rows * n];
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextInt(q + 1); // q is the mask id
        }
        return t;
    }

    static List<Ort.In> denoiserRows(Random r, int rows) {
        float[] x = new float[rows * 64], sigma = new float[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            sigma[i] = (float) Math.exp(Math.log(0.02) + r.nextDouble() * (Math.log(80) - Math.log(0.02)));
        }
        return List.of(new Ort.In("x", x, new long[] {rows, 64}), new Ort.In("sigma", sigma, new long[] {rows}));
    }

    static void compare(String model, List<Ort.In> inputs, int threads) {
        compare(MODELS.resolve(model), inputs, threads);
    }

    static void compare(Path file, List<Ort.In> inputs, int threads) {
        String model = file.getFileName().toString();
        float[][] ref = Ort.run(file, inputs), ours = Ort.host(file, inputs, threads);
        assertEquals(ref.length, ours.length);
        for (int k = 0; k < ref.length; k++) {
            double[] d = Ort.diff(ours[k], ref[k]);
            System.out.printf("%s output %d: max |diff| %.3g, max |diff|/max(1,|ref|) %.3g over %d values%n",
                    model, k, d[0], d[1], ref[k].length);
            assertTrue(d[1] <= TOL, model + ": relative difference " + d[1] + " > " + TOL);
        }
    }

    /** Dead activations give their slots to later tensors: text at batch 64 needs a fraction of the tensors' total. */
    @Test
    void textPlanSharesActivationSlots() {
        OnnxGraph g = OnnxGraph.read(MODELS.resolve("text.onnx"));
        Plan p = Planner.plan(g, Map.of("tokens", new long[] {64, 256}));
        long shared = 0, tensors = 0;
        for (Slot s : p.slots()) {
            shared += s.kind() == Slot.Kind.ACTIVATION ? s.elements() : 0;
        }
        java.util.Set<Integer> outs = new java.util.HashSet<>();
        for (Step s : p.steps()) {
            tensors += p.slots().get(s.out()).elements();
            outs.add(s.out());
        }
        System.out.printf("text.onnx batch 64: %d steps, %d activation slots, %.0f MB of activations (%.0f MB unshared)%n",
                p.steps().size(), outs.size(), shared * 4 / 1e6, tensors * 4 / 1e6);
        assertTrue(shared * 5 < tensors, "activation slots are not shared: " + shared + " of " + tensors + " elements");
    }

    @Test
    void digitsMatchesOnnxRuntime() {
        compare("digits.onnx", List.of(new Ort.In("tokens", tokens(new Random(1), 16, 64, 2), new long[] {16, 64})), 2);
    }

    @Test
    void denoiserMatchesOnnxRuntime() {
        compare("digits-denoiser.onnx", denoiserRows(new Random(2), 16), 2);
    }

    @Test
    void textMatchesOnnxRuntime() {
        compare("text.onnx", List.of(new Ort.In("tokens", tokens(new Random(3), 2, 256, 37), new long[] {2, 256})), 2);
    }

    /** Row 0 of a batch-1 plan, placed at several positions of larger batches filled with other rows. */
    static void batchInvariant(String model, int[] batches, Map<String, Integer> rowWidth, java.util.function.BiFunction<Random, Integer, List<Ort.In>> rows) {
        batchInvariant(MODELS.resolve(model), batches, rowWidth, rows);
    }

    static void batchInvariant(Path file, int[] batches, Map<String, Integer> rowWidth, java.util.function.BiFunction<Random, Integer, List<Ort.In>> rows) {
        String model = file.getFileName().toString();
        OnnxGraph g = OnnxGraph.read(file);
        Random r = new Random(5);
        List<Ort.In> one = rows.apply(r, 1);
        float[][] base = Ort.host(file, one, 1);
        for (int b : batches) {
            List<Ort.In> many = rows.apply(r, b);
            int pos = (b * 7 / 11) % b;
            List<Ort.In> placed = new ArrayList<>();
            for (Ort.In in : many) {
                Object src = one.stream().filter(o -> o.name().equals(in.name())).findFirst().orElseThrow().data();
                int w = rowWidth.get(in.name());
                System.arraycopy(src, 0, in.data(), pos * w, w);
                placed.add(in);
            }
            Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
            placed.forEach(in -> shapes.put(in.name(), in.shape()));
            float[][] out = Ort.host(Planner.plan(g, shapes), placed, b % 2 == 0 ? 2 : 1);
            for (int k = 0; k < base.length; k++) {
                int w = base[k].length;
                float[] got = java.util.Arrays.copyOfRange(out[k], pos * w, (pos + 1) * w);
                assertArrayEquals(base[k], got, 0f, model + ": row at position " + pos + " of batch " + b + " differs from batch 1");
                for (int i = 0; i < w; i++) {
                    assertEquals(Float.floatToRawIntBits(base[k][i]), Float.floatToRawIntBits(got[i]), model + " bits");
                }
            }
        }
    }

    @Test
    void digitsBatchInvariant() {
        batchInvariant("digits.onnx", new int[] {7, 16, 64}, Map.of("tokens", 64),
                (r, b) -> List.of(new Ort.In("tokens", tokens(r, b, 64, 2), new long[] {b, 64})));
    }

    @Test
    void denoiserBatchInvariant() {
        batchInvariant("digits-denoiser.onnx", new int[] {7, 16, 64}, Map.of("x", 64, "sigma", 1), ModelsTest::denoiserRows);
    }

    @Test
    void textBatchInvariant() {
        batchInvariant("text.onnx", new int[] {3}, Map.of("tokens", 256),
                (r, b) -> List.of(new Ort.In("tokens", tokens(r, b, 256, 37), new long[] {b, 256})));
    }
}
