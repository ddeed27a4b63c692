package io.autospec.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ONNX Runtime evaluator (CPU provider): one {@code OrtSession.run} per call. Its batch is the
 * model's static batch, else 0 (any count). ONNX Runtime's messages reach the user as one line
 * ({@link #oneLine}), and its own log is limited to errors (no shape-merging warnings on the terminal).
 */
final class OrtEvaluator implements RowEvaluator {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final RowEvaluator.Signature signature;
    private final int batch;
    private final boolean[] int64; // per input: tokens fed as int64 (else int32)
    private long[] longs = new long[0];

    OrtEvaluator(OrtSession session, RowEvaluator.Signature signature, boolean[] int64, int batch) {
        this.env = environment();
        this.session = session;
        this.signature = signature;
        this.int64 = int64.clone();
        this.batch = batch;
    }

    /** The process's ONNX Runtime environment, logging errors only. */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "autospec");
    }

    /**
     * Opens a session on the CPU provider with {@code threads} intra-op threads (0: ONNX Runtime's
     * default). A file ONNX Runtime cannot load: an {@link IllegalArgumentException} of one line
     * naming the file.
     */
    static OrtSession open(Path file, int threads) {
        OrtEnvironment env = environment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            if (threads > 0) so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(file.toString(), so);
        } catch (OrtException e) {
            throw new IllegalArgumentException(file + " is not a usable ONNX model: " + oneLine(e));
        }
    }

    private static final Pattern ERROR_CODE = Pattern.compile("^Error code - \\w+ - message:\\s*");
    // A C++ source reference ("/src/onnxruntime/core/graph/graph.cc:1477") and the function named after it.
    private static final Pattern SOURCE = Pattern.compile("(?:(?<!\\w)[A-Za-z]:)?[/\\\\][^\\s:]*\\.(?:cc|cpp|cxx|h|hpp|cu|cuh):\\d+(?:\\s+[^\\s(]*\\([^)]*\\)(?:\\s*const)?)?");

    /** An ONNX Runtime message as one line: no error-code prefix, no C++ source paths, no line breaks. */
    static String oneLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        m = ERROR_CODE.matcher(m.strip()).replaceFirst("");
        m = SOURCE.matcher(m).replaceAll("");
        m = m.replaceAll("\\s+", " ").strip();
        if (m.length() > 400) m = m.substring(0, 397) + "...";
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    static boolean outOfMemory(Throwable e) {
        if (e instanceof OutOfMemoryError) return true;
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("alloc") || m.contains("out of memory") || m.contains("bad_alloc");
    }

    @Override
    public String name() {
        return "onnxruntime-cpu";
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public long workingBytes() {
        return 0; // ONNX Runtime's arena is native memory, outside the Java heap
    }

    @Override
    public void evaluate(int rows, Object[] inputs, double[] out) {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feed = new HashMap<>();
            for (int i = 0; i < inputs.length; i++) {
                RowEvaluator.Tensor t = signature.inputs().get(i);
                int count = Math.toIntExact(rows * t.rowElements());
                OnnxTensor tensor;
                if (inputs[i] instanceof int[] ints) {
                    if (int64[i]) {
                        if (longs.length < count) longs = new long[count];
                        for (int k = 0; k < count; k++) longs[k] = ints[k];
                        tensor = OnnxTensor.createTensor(env, LongBuffer.wrap(longs, 0, count), t.shape(rows));
                    } else {
                        tensor = OnnxTensor.createTensor(env, java.nio.IntBuffer.wrap(ints, 0, count), t.shape(rows));
                    }
                } else {
                    tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) inputs[i], 0, count), t.shape(rows));
                }
                tensors.add(tensor);
                feed.put(t.name(), tensor);
            }
            String outName = signature.output().name();
            try (OrtSession.Result result = session.run(feed, Set.of(outName))) {
                OnnxValue v = result.get(outName).orElseThrow();
                if (!(v instanceof OnnxTensor t)) throw new RowEvaluator.Failure("output '" + outName + "' is not a tensor", false);
                long[] shape = t.getInfo().getShape();
                long[] expected = signature.output().shape(rows);
                if (!java.util.Arrays.equals(shape, expected)) {
                    throw new RowEvaluator.Failure("output '" + outName + "' has shape " + Network.shape(shape) + " for " + rows
                            + " rows; expected " + Network.shape(expected), false);
                }
                int size = Math.toIntExact(rows * signature.output().rowElements());
                if (t.getInfo().type == OnnxJavaType.FLOAT) {
                    FloatBuffer fb = t.getFloatBuffer();
                    for (int i = 0; i < size; i++) out[i] = fb.get(i);
                } else {
                    DoubleBuffer db = t.getDoubleBuffer();
                    db.get(0, out, 0, size);
                }
            }
        } catch (OrtException e) {
            throw new RowEvaluator.Failure(oneLine(e), outOfMemory(e));
        } catch (OutOfMemoryError e) {
            throw new RowEvaluator.Failure("out of memory (" + e.getMessage() + ")", true);
        } finally {
            for (OnnxTensor t : tensors) t.close();
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing an ONNX Runtime session: " + oneLine(e), e);
        }
    }
}
