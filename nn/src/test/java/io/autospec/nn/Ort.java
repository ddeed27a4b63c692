package io.autospec.nn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reference: ONNX Runtime (CPU) on the same file and inputs. */
final class Ort {
    private Ort() {}

    /** One input: float[] or long[] data with its shape. */
    record In(String name, Object data, long[] shape) {}

    /** Runs {@code file} and returns its outputs (each flattened to float) in graph order. */
    static float[][] run(Path file, List<In> inputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession s = env.createSession(file.toString(), o)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (In in : inputs) {
                        feed.put(in.name(), in.data() instanceof float[] f
                                ? OnnxTensor.createTensor(env, FloatBuffer.wrap(f), in.shape())
                                : OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) in.data()), in.shape()));
                    }
                    try (OrtSession.Result r = s.run(feed)) {
                        float[][] out = new float[r.size()][];
                        for (int k = 0; k < r.size(); k++) {
                            OnnxValue v = r.get(k);
                            OnnxTensor t = (OnnxTensor) v;
                            switch (t.getInfo().type) {
                                case FLOAT -> {
                                    FloatBuffer fb = t.getFloatBuffer();
                                    out[k] = new float[fb.remaining()];
                                    fb.get(out[k]);
                                }
                                case INT64 -> {
                                    LongBuffer lb = t.getLongBuffer();
                                    out[k] = new float[lb.remaining()];
                                    for (int i = 0; i < out[k].length; i++) {
                                        out[k][i] = lb.get(i);
                                    }
                                }
                                default -> {
                                    java.nio.ByteBuffer bb = t.getByteBuffer();
                                    out[k] = new float[bb.remaining()];
                                    for (int i = 0; i < out[k].length; i++) {
                                        out[k][i] = bb.get(i);
                                    }
                                }
                            }
                        }
                        return out;
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime failed on " + file + ": " + e.getMessage(), e);
        }
    }

    /** Our executor on the same inputs (long data narrowed to int32). */
    static float[][] host(Path file, List<In> inputs, int threads) {
        OnnxGraph g = OnnxGraph.read(file);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (In in : inputs) {
            shapes.put(in.name(), in.shape());
        }
        Plan p = Planner.plan(g, shapes);
        return host(p, inputs, threads);
    }

    static float[][] host(Plan p, List<In> inputs, int threads) {
        Object[] ins = new Object[inputs.size()];
        for (int k = 0; k < ins.length; k++) {
            In in = inputs.get(k);
            int at = p.inputNames().indexOf(in.name());
            if (at < 0) {
                throw new AssertionError("plan has no input " + in.name());
            }
            ins[at] = in.data() instanceof long[] l ? java.util.Arrays.stream(l).mapToInt(Math::toIntExact).toArray() : in.data();
        }
        float[][] out = new float[p.outputSlots().length][];
        for (int k = 0; k < out.length; k++) {
            out[k] = new float[(int) p.slots().get(p.outputSlots()[k]).elements()];
        }
        try (HostExecutor h = new HostExecutor(p, threads)) {
            h.run(ins, out);
        }
        return out;
    }

    /** Largest |a - b| / max(1, |b|) with the largest absolute difference, for messages. */
    static double[] diff(float[] ours, float[] ref) {
        double abs = 0, rel = 0;
        if (ours.length != ref.length) {
            throw new AssertionError("lengths differ: " + ours.length + " vs " + ref.length);
        }
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs((double) ours[i] - ref[i]);
            if (Double.isNaN(ours[i]) != Double.isNaN(ref[i])) {
                d = Double.POSITIVE_INFINITY;
            } else if (Double.isNaN(ref[i]) || ours[i] == ref[i]) {
                continue; // equal, infinities and NaNs included
            }
            abs = Math.max(abs, d);
            rel = Math.max(rel, d / Math.max(1, Math.abs(ref[i])));
        }
        return new double[] {abs, rel};
    }
}
