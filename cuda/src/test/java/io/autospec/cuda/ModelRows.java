package io.autospec.cuda;

import io.autospec.nn.OnnxGraph;
import io.autospec.nn.Plan;
import io.autospec.nn.Planner;
import io.autospec.nn.Slot;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plans a committed ONNX model for a batch and makes rows of random inputs for it: tokens uniform
 * over [0, q] (q logits per token; q is the mask token), a noise level {@code sigma}
 * log-uniform over [0.02, 80], other floats standard normal. Every input and output has the batch as
 * its first axis, so row r of an array of a batch-b plan is the r-th of b equal slices.
 */
final class ModelRows {
    private ModelRows() {}

    /** A file of the repository (the tests run with the repository root as autospec.source.dir). */
    static Path file(String relative) {
        return HostBuild.sourceRoot().resolve(relative);
    }

    static Plan plan(OnnxGraph g, int batch) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (OnnxGraph.ValueInfo in : g.inputs()) {
            long[] d = in.dims().clone();
            d[0] = batch;
            for (long x : d) {
                if (x < 0) throw new IllegalArgumentException(g.file() + ": input " + in + " has a free axis besides the batch");
            }
            shapes.put(in.name(), d);
        }
        return Planner.plan(g, shapes);
    }

    static Object[] inputs(Plan plan, SplittableRandom rnd) {
        long logits = plan.slots().get(plan.outputSlots()[0]).elements();
        Object[] in = new Object[plan.inputSlots().length];
        for (int i = 0; i < in.length; i++) {
            Slot s = plan.slots().get(plan.inputSlots()[i]);
            int n = (int) s.elements();
            if (s.type() == Slot.Type.INT) {
                int q = (int) (logits / n); // n tokens, n x q logits (shaped [B, n, q] or flat [B, n * q])
                int[] v = new int[n];
                for (int j = 0; j < n; j++) v[j] = rnd.nextInt(q + 1);
                in[i] = v;
            } else if (plan.inputNames().get(i).equals("sigma")) {
                float[] v = new float[n];
                for (int j = 0; j < n; j++) v[j] = (float) Math.exp(Math.log(0.02) + rnd.nextDouble() * Math.log(80 / 0.02));
                in[i] = v;
            } else {
                float[] v = new float[n];
                for (int j = 0; j < n; j++) v[j] = (float) NetExecutorContract.gaussian(rnd);
                in[i] = v;
            }
        }
        return in;
    }

    /** Copies row {@code from} of each input of a batch-{@code fromBatch} plan to row {@code to} of a batch-{@code toBatch} one. */
    static void place(Object[] src, int from, int fromBatch, Object[] dst, int to, int toBatch) {
        for (int i = 0; i < src.length; i++) {
            int w = java.lang.reflect.Array.getLength(src[i]) / fromBatch;
            if (java.lang.reflect.Array.getLength(dst[i]) != w * toBatch) throw new IllegalArgumentException("input " + i + " rows differ");
            System.arraycopy(src[i], from * w, dst[i], to * w, w);
        }
    }

    /** Row {@code r} of an output of a batch-{@code batch} plan. */
    static float[] row(float[] out, int r, int batch) {
        int w = out.length / batch;
        return java.util.Arrays.copyOfRange(out, r * w, (r + 1) * w);
    }
}
