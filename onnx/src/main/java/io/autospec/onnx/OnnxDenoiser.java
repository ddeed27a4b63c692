package io.autospec.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.autospec.core.OracleException;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftQueries;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A learned denoiser in the EDM convention (Karras et al. 2022), evaluated with ONNX Runtime:
 * {@code D(z; sigma) ≈ E[x0 | x0 + sigma * noise = z]}.
 *
 * <p><b>Contract.</b> Two float32 inputs, {@code x} of shape [B, d] and {@code sigma} of shape [B]
 * or [B, 1]; one output of shape [B, d] (float32, or float64). Names: the options, else inputs named
 * "x" and "sigma", else the rank-1 (or [B, 1] beside a [B, d &gt; 1]) input is sigma. d comes from
 * the static shapes, or from {@link Options#d} where they are dynamic (checked where both exist).
 *
 * <p><b>Drift.</b> The engine's drift is f(t, x) = E[Y | Y + g = x/t], g ~ N(0, I/t), so
 * f(t, x) = D(x / t; 1 / sqrt(t)) for t &gt; 0, computed in double and fed as float32. At t = 0 (no
 * information yet) f = E[Y], the limit D(0; sigma_max): {@code sigma_max} from the options, else the
 * model's metadata property {@code sigma_max}, else {@value #DEFAULT_SIGMA_MAX}. That value is
 * computed once, at load.
 *
 * <p><b>Batch invariance.</b> ONNX Runtime's CPU provider rounds differently for different batch
 * sizes (the same row's output changes by ~1e-6 between B = 1 and B = 64), while at one fixed batch
 * size a row's output does not depend on its position or on the other rows. So every run call
 * evaluates exactly {@link Options#chunk} rows (the launch's rows in order, the last chunk padded):
 * a drift then does not depend on the batch it was computed in, and {@code picard --tolerance 0} and
 * {@code auto} return the sequential samples bit for bit. {@code chunk = 0} runs each launch in
 * variable-size calls of at most {@link Options#maxRowsPerRun} rows instead (halving on out of
 * memory), faster for large launches but not batch-invariant. A model with a static batch size
 * uses that size as its chunk.
 *
 * <p>The law of a learned denoiser is that of the sequential sampler on the schedule with this drift;
 * every exact strategy draws it.
 */
public final class OnnxDenoiser implements Denoiser, AutoCloseable {
    /** sigma at t = 0 when neither the options nor the model's metadata give one. */
    public static final double DEFAULT_SIGMA_MAX = 80;

    /** Settings of {@link #open}; every field optional. */
    public record Options(String x, String sigma, String output, Integer d, Double sigmaMax, int threads, int maxRowsPerRun,
                          int chunk) {
        public static final int DEFAULT_MAX_ROWS = 4096;
        public static final int DEFAULT_CHUNK = 16;

        public static Options defaults() {
            return new Options(null, null, null, null, null, 0, DEFAULT_MAX_ROWS, DEFAULT_CHUNK);
        }

        /** The input fed x / t. */
        public Options withX(String v) {
            return new Options(v, sigma, output, d, sigmaMax, threads, maxRowsPerRun, chunk);
        }

        /** The input fed sigma = 1 / sqrt(t). */
        public Options withSigma(String v) {
            return new Options(x, v, output, d, sigmaMax, threads, maxRowsPerRun, chunk);
        }

        /** The output read as D. */
        public Options withOutput(String v) {
            return new Options(x, sigma, v, d, sigmaMax, threads, maxRowsPerRun, chunk);
        }

        /** d, required when the model's d is dynamic; checked against the model otherwise. */
        public Options withD(Integer v) {
            return new Options(x, sigma, output, v, sigmaMax, threads, maxRowsPerRun, chunk);
        }

        /** sigma at t = 0 (f(0, .) = D(0; sigma_max)). */
        public Options withSigmaMax(Double v) {
            return new Options(x, sigma, output, d, v, threads, maxRowsPerRun, chunk);
        }

        /** ONNX Runtime intra-op threads (0: its default, one per core). */
        public Options withThreads(int v) {
            return new Options(x, sigma, output, d, sigmaMax, v, maxRowsPerRun, chunk);
        }

        /** The most rows one run call evaluates when {@code chunk = 0}. */
        public Options withMaxRowsPerRun(int v) {
            return new Options(x, sigma, output, d, sigmaMax, threads, v, chunk);
        }

        /** Rows of every run call (padded), for batch invariance; 0: variable batches. */
        public Options withChunk(int v) {
            return new Options(x, sigma, output, d, sigmaMax, threads, maxRowsPerRun, v);
        }
    }

    private final String name;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String xName, sigmaName, outputName;
    private final boolean sigmaColumn; // sigma is [B, 1] (else [B])
    private final int d;
    private final double sigmaMax;
    private final int chunk;            // 0: variable batches
    private int maxRows;
    private final double[] meanAtZero;  // D(0; sigma_max)
    private long forwardRows;

    // Per-launch scratch (called once per launch, on one thread).
    private float[] xs = new float[0];
    private float[] sigmas = new float[0];
    private double[] result = new double[0];
    private int[] rowQuery = new int[0];

    private OnnxDenoiser(String name, OrtEnvironment env, OrtSession session, String xName, String sigmaName, String outputName,
                         boolean sigmaColumn, int d, double sigmaMax, int chunk, int maxRows) {
        this.name = name;
        this.env = env;
        this.session = session;
        this.xName = xName;
        this.sigmaName = sigmaName;
        this.outputName = outputName;
        this.sigmaColumn = sigmaColumn;
        this.d = d;
        this.sigmaMax = sigmaMax;
        this.chunk = chunk;
        this.maxRows = maxRows;
        this.meanAtZero = new double[d];
    }

    /**
     * Loads a model and checks it against the contract. Bad input (missing file, not an ONNX model,
     * inputs or output that do not fit): an {@link IllegalArgumentException} naming the file and what
     * differs.
     */
    public static OnnxDenoiser open(Path file, Options options) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("ONNX model file not found: " + file);
        if (options.maxRowsPerRun() < 1) throw new IllegalArgumentException("max-rows must be >= 1, got " + options.maxRowsPerRun());
        if (options.chunk() < 0) throw new IllegalArgumentException("chunk must be >= 0, got " + options.chunk());
        if (options.threads() < 0) throw new IllegalArgumentException("threads must be >= 0, got " + options.threads());
        if (options.sigmaMax() != null && !(options.sigmaMax() > 0 && Double.isFinite(options.sigmaMax()))) {
            throw new IllegalArgumentException("sigma-max must be a positive number, got " + options.sigmaMax());
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (options.threads() > 0) so.setIntraOpNumThreads(options.threads());
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(file.toString(), so);
        } catch (OrtException e) {
            throw new IllegalArgumentException(file + " is not a usable ONNX model: " + e.getMessage(), e);
        }
        try {
            OnnxDenoiser dn = check(file, env, session, options);
            dn.computeMeanAtZero();
            return dn;
        } catch (RuntimeException | OrtException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the first error is the one to report
            }
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException(file + ": cannot evaluate the model: " + e.getMessage(), e);
        }
    }

    private static OnnxDenoiser check(Path file, OrtEnvironment env, OrtSession session, Options o) throws OrtException {
        String where = "ONNX denoiser " + file;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (inputs.size() < 2) {
            throw new IllegalArgumentException(where + " has " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s") + " "
                    + inputs.keySet() + "; the contract needs two, x [B, d] and sigma [B] (float32)");
        }
        Map<String, TensorInfo> in = new HashMap<>();
        for (NodeInfo n : inputs.values()) in.put(n.getName(), tensor(where, "input", n));
        String xName = o.x(), sigmaName = o.sigma();
        for (String named : new String[] {xName, sigmaName}) {
            if (named != null && !in.containsKey(named)) {
                throw new IllegalArgumentException(where + " has no input '" + named + "' (its inputs: " + inputs.keySet() + ")");
            }
        }
        if (xName == null || sigmaName == null) {
            String[] guess = guessInputs(in, xName, sigmaName);
            if (guess == null) {
                throw new IllegalArgumentException(where + ": cannot tell x from sigma among inputs " + describe(in)
                        + "; name them with x=NAME,sigma=NAME");
            }
            xName = guess[0];
            sigmaName = guess[1];
        }
        if (xName.equals(sigmaName)) throw new IllegalArgumentException(where + ": x and sigma both name input '" + xName + "'");
        if (inputs.size() > 2) {
            List<String> other = new ArrayList<>(inputs.keySet());
            other.remove(xName);
            other.remove(sigmaName);
            throw new IllegalArgumentException(where + " has inputs " + other + " besides x '" + xName + "' and sigma '" + sigmaName
                    + "'; the contract has two inputs");
        }
        NodeInfo out = pick(where, outputs, o.output());
        TensorInfo tx = in.get(xName), ts = in.get(sigmaName), to = tensor(where, "output", out);
        if (tx.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(where + ": input x '" + xName + "' has element type " + tx.type + "; the contract needs float32");
        }
        if (ts.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException(where + ": input sigma '" + sigmaName + "' has element type " + ts.type
                    + "; the contract needs float32");
        }
        if (to.type != OnnxJavaType.FLOAT && to.type != OnnxJavaType.DOUBLE) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has element type " + to.type
                    + "; the contract needs float32 (or float64)");
        }
        long[] sx = tx.getShape(), ss = ts.getShape(), so = to.getShape();
        if (sx.length != 2) {
            throw new IllegalArgumentException(where + ": input x '" + xName + "' has shape " + shape(sx) + " (rank " + sx.length
                    + "); the contract needs rank 2, [B, d]");
        }
        if (!(ss.length == 1 || (ss.length == 2 && (ss[1] == 1 || ss[1] < 0)))) {
            throw new IllegalArgumentException(where + ": input sigma '" + sigmaName + "' has shape " + shape(ss)
                    + "; the contract needs [B] or [B, 1]");
        }
        if (so.length != 2) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has shape " + shape(so) + " (rank " + so.length
                    + "); the contract needs rank 2, [B, d]");
        }
        long batch = -1;
        for (long b : new long[] {sx[0], ss[0], so[0]}) {
            if (b > 0 && batch > 0 && b != batch) {
                throw new IllegalArgumentException(where + ": the batch dimensions of x " + shape(sx) + ", sigma " + shape(ss)
                        + " and output " + shape(so) + " differ");
            }
            if (b > 0) batch = b;
        }
        if (sx[1] > 0 && so[1] > 0 && sx[1] != so[1]) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has d = " + so[1] + " but input x '" + xName
                    + "' has d = " + sx[1]);
        }
        long modelD = sx[1] > 0 ? sx[1] : so[1];
        int d;
        if (modelD > 0) {
            if (o.d() != null && o.d() != modelD) {
                throw new IllegalArgumentException(where + ": d = " + o.d() + " was asked for, but the model has d = " + modelD
                        + " (input x '" + xName + "' " + shape(sx) + ")");
            }
            if (modelD > (1 << 20)) throw new IllegalArgumentException(where + ": d = " + modelD + " is too large");
            d = (int) modelD;
        } else {
            if (o.d() == null) throw new IllegalArgumentException(where + ": d is dynamic in input x '" + xName + "' " + shape(sx) + "; give d=D");
            if (o.d() < 1) throw new IllegalArgumentException(where + ": d must be >= 1, got " + o.d());
            d = o.d();
        }
        double sigmaMax = DEFAULT_SIGMA_MAX;
        if (o.sigmaMax() != null) {
            sigmaMax = o.sigmaMax();
        } else {
            String meta = session.getMetadata().getCustomMetadata().get("sigma_max");
            if (meta != null) {
                try {
                    sigmaMax = Double.parseDouble(meta.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": metadata sigma_max = '" + meta + "' is not a number");
                }
                if (!(sigmaMax > 0 && Double.isFinite(sigmaMax))) {
                    throw new IllegalArgumentException(where + ": metadata sigma_max = " + meta + " is not a positive number");
                }
            }
        }
        int chunk = batch > 0 ? (int) batch : o.chunk();
        int maxRows = batch > 0 ? (int) batch : o.maxRowsPerRun();
        return new OnnxDenoiser(file.getFileName().toString(), env, session, xName, sigmaName, out.getName(), ss.length == 2, d, sigmaMax,
                chunk, maxRows);
    }

    /** {x, sigma} from the names "x"/"sigma", else from the shapes; null when ambiguous. */
    private static String[] guessInputs(Map<String, TensorInfo> in, String x, String sigma) {
        if (in.size() != 2) {
            if (x == null && in.containsKey("x")) x = "x";
            if (sigma == null && in.containsKey("sigma")) sigma = "sigma";
            return x != null && sigma != null ? new String[] {x, sigma} : null;
        }
        List<String> names = new ArrayList<>(in.keySet());
        if (x != null) return new String[] {x, names.get(names.get(0).equals(x) ? 1 : 0)};
        if (sigma != null) return new String[] {names.get(names.get(0).equals(sigma) ? 1 : 0), sigma};
        if (in.containsKey("x") && in.containsKey("sigma")) return new String[] {"x", "sigma"};
        String a = names.get(0), b = names.get(1);
        if (sigmaLike(in.get(a)) && !sigmaLike(in.get(b))) return new String[] {b, a};
        if (sigmaLike(in.get(b)) && !sigmaLike(in.get(a))) return new String[] {a, b};
        return null;
    }

    /** Rank 1, or [B, 1]. */
    private static boolean sigmaLike(TensorInfo t) {
        long[] s = t.getShape();
        return s.length == 1 || (s.length == 2 && s[1] == 1);
    }

    private static String describe(Map<String, TensorInfo> in) {
        StringBuilder sb = new StringBuilder();
        for (var e : in.entrySet()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(shape(e.getValue().getShape()));
        }
        return sb.toString();
    }

    private static NodeInfo pick(String where, Map<String, NodeInfo> nodes, String wanted) {
        if (wanted != null) {
            NodeInfo info = nodes.get(wanted);
            if (info == null) throw new IllegalArgumentException(where + " has no output '" + wanted + "' (its outputs: " + nodes.keySet() + ")");
            return info;
        }
        if (nodes.size() != 1) {
            throw new IllegalArgumentException(where + " has " + nodes.size() + " outputs " + nodes.keySet() + "; name the one to use with output=NAME");
        }
        return nodes.values().iterator().next();
    }

    private static TensorInfo tensor(String where, String what, NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo t)) {
            throw new IllegalArgumentException(where + ": " + what + " '" + node.getName() + "' is not a tensor (" + node.getInfo() + ")");
        }
        return t;
    }

    static String shape(long[] s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(s[i] < 0 ? "?" : Long.toString(s[i]));
        }
        return sb.append(']').toString();
    }

    /** f(0, .) = D(0; sigma_max), evaluated once (in a chunk like any other row). */
    private void computeMeanAtZero() throws OrtException {
        ensure(1);
        java.util.Arrays.fill(xs, 0, d, 0f);
        sigmas[0] = (float) sigmaMax;
        evaluate(1);
        for (int i = 0; i < d; i++) {
            meanAtZero[i] = result[i];
            if (!Double.isFinite(meanAtZero[i])) {
                throw new IllegalArgumentException("ONNX denoiser " + name + " returned " + meanAtZero[i] + " in coordinate " + i
                        + " at t = 0 (D(0; sigma_max = " + sigmaMax + "))");
            }
        }
        forwardRows = 0;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public String describe() {
        return "onnx-denoiser(" + name + ", d=" + d + ")";
    }

    @Override
    public int costPerQuery() {
        return 64;
    }

    /** Called once per launch: the launch's rows form one batch. */
    @Override
    public boolean wholeLaunch() {
        return true;
    }

    @Override
    public long forwardRows() {
        return forwardRows;
    }

    /** {@return sigma fed at t = 0} */
    public double sigmaMax() {
        return sigmaMax;
    }

    /** {@return rows per run call (0: variable batches of at most {@link #maxRowsPerRun()})} */
    public int chunk() {
        return chunk;
    }

    /** {@return the most rows one run call evaluates when chunk is 0 (lowered after running out of memory)} */
    public int maxRowsPerRun() {
        return maxRows;
    }

    /** {@return D(0; sigma_max), the drift at t = 0 (a copy)} */
    public double[] meanAtZero() {
        return meanAtZero.clone();
    }

    /**
     * D(z; sigma) for rows of z (row-major, d per row) and sigmas, evaluated as the engine evaluates
     * drifts (in chunks); for tests and users who want the network itself.
     */
    public synchronized double[] evaluate(double[] z, double[] sigma) {
        int rows = sigma.length;
        if (z.length != rows * d) throw new IllegalArgumentException("z has " + z.length + " values, expected " + rows + " x " + d);
        ensure(rows);
        for (int i = 0; i < rows * d; i++) xs[i] = (float) z[i];
        for (int r = 0; r < rows; r++) sigmas[r] = (float) sigma[r];
        try {
            evaluate(rows);
        } catch (OrtException e) {
            throw new OracleException("ONNX denoiser " + name + " failed: " + e.getMessage());
        }
        return java.util.Arrays.copyOf(result, rows * d);
    }

    @Override
    public synchronized void denoise(DriftQueries batch, int from, int to, double[] out) {
        ensure(to - from);
        double[] points = batch.points();
        int rows = 0;
        for (int j = from; j < to; j++) {
            double t = batch.time(j);
            if (t <= 0) {
                System.arraycopy(meanAtZero, 0, out, j * d, d);
                continue;
            }
            double scale = 1 / t;
            int src = j * d, dst = rows * d;
            for (int i = 0; i < d; i++) xs[dst + i] = (float) (points[src + i] * scale);
            sigmas[rows] = (float) (1 / Math.sqrt(t));
            rowQuery[rows++] = j;
        }
        if (rows == 0) return;
        try {
            evaluate(rows);
        } catch (OrtException e) {
            throw new OracleException("ONNX denoiser " + name + " failed on a launch of " + rows + " rows: " + e.getMessage());
        }
        for (int r = 0; r < rows; r++) {
            int j = rowQuery[r];
            System.arraycopy(result, r * d, out, j * d, d);
        }
    }

    private void ensure(int rows) {
        int cap = chunk > 0 ? ((rows + chunk - 1) / chunk) * chunk : rows;
        cap = Math.max(cap, 1);
        if (sigmas.length < cap) {
            int len = Math.max(cap, 2 * sigmas.length);
            xs = new float[len * d];
            sigmas = new float[len];
            result = new double[len * d];
            rowQuery = new int[len];
        }
    }

    /** Evaluates rows [0, rows) of xs/sigmas into result: fixed chunks, or variable batches halving on out of memory. */
    private void evaluate(int rows) throws OrtException {
        if (chunk > 0) {
            int padTo = ((rows + chunk - 1) / chunk) * chunk;
            java.util.Arrays.fill(xs, rows * d, padTo * d, 0f);
            java.util.Arrays.fill(sigmas, rows, padTo, 1f);
            for (int start = 0; start < rows; start += chunk) {
                try {
                    run(start, chunk);
                } catch (OrtException e) {
                    if (!OnnxOracle.outOfMemory(e)) throw e;
                    throw chunkOutOfMemory(e);
                } catch (OutOfMemoryError e) {
                    throw chunkOutOfMemory(e);
                }
            }
        } else {
            for (int start = 0; start < rows; ) {
                int count = Math.min(maxRows, rows - start);
                try {
                    run(start, count);
                    start += count;
                } catch (OrtException | OutOfMemoryError e) {
                    if (!OnnxOracle.outOfMemory(e)) {
                        throw new OracleException("ONNX denoiser " + name + " failed on a batch of " + count + " rows: " + e.getMessage());
                    }
                    if (count == 1) throw new OracleException("ONNX denoiser " + name + " ran out of memory on one row: " + e.getMessage());
                    maxRows = Math.max(1, count / 2);
                }
            }
        }
        forwardRows += rows;
    }

    private OracleException chunkOutOfMemory(Throwable e) {
        // Halving the chunk would change the drifts mid-run (they depend on the batch size): refuse instead.
        return new OracleException("ONNX denoiser " + name + " ran out of memory on a chunk of " + chunk + " rows"
                + " (give a smaller chunk=C; a fixed chunk keeps drifts independent of their batch): " + e.getMessage());
    }

    /** One run call on rows [start, start + count) of the scratch buffers. */
    private void run(int start, int count) throws OrtException {
        FloatBuffer xb = FloatBuffer.wrap(xs, start * d, count * d).slice();
        FloatBuffer sb = FloatBuffer.wrap(sigmas, start, count).slice();
        long[] sigmaShape = sigmaColumn ? new long[] {count, 1} : new long[] {count};
        try (OnnxTensor x = OnnxTensor.createTensor(env, xb, new long[] {count, d});
             OnnxTensor s = OnnxTensor.createTensor(env, sb, sigmaShape);
             OrtSession.Result res = session.run(Map.of(xName, x, sigmaName, s), Set.of(outputName))) {
            OnnxValue v = res.get(outputName).orElseThrow();
            if (!(v instanceof OnnxTensor t)) throw new OracleException("ONNX denoiser " + name + ": output '" + outputName + "' is not a tensor");
            long[] shape = t.getInfo().getShape();
            if (shape.length != 2 || shape[0] != count || shape[1] != d) {
                throw new OracleException("ONNX denoiser " + name + ": output '" + outputName + "' has shape " + shape(shape) + " for "
                        + count + " rows; expected [" + count + ", " + d + "]");
            }
            int offset = start * d, size = count * d;
            if (t.getInfo().type == OnnxJavaType.FLOAT) {
                FloatBuffer fb = t.getFloatBuffer();
                for (int i = 0; i < size; i++) result[offset + i] = fb.get(i);
            } else {
                DoubleBuffer db = t.getDoubleBuffer();
                db.get(0, result, offset, size);
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX denoiser " + name + ": " + e.getMessage(), e);
        }
    }
}
