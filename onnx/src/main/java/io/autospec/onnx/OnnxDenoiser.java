package io.autospec.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p><b>Batch invariance.</b> The rows go to a {@link Network}, which evaluates them in fixed chunks of
 * {@link Options#chunk} rows (the launch's rows in order, the last chunk padded; the chunk checked at
 * load for position invariance): a drift then does not depend on the batch it was computed in, and
 * {@code picard --tolerance 0} and {@code auto} return the sequential samples bit for bit. ONNX
 * Runtime's CPU provider rounds differently for different batch sizes (the same row's output changes
 * by ~1e-6 between B = 1 and B = 64). {@code chunk = 0} runs each launch in variable batches of at
 * most {@link Options#maxRowsPerRun} rows instead (halving on out of memory), faster for large
 * launches but not batch-invariant. A model with a static batch size uses that size as its chunk.
 * The network runs on ONNX Runtime or on autospec's own executors ({@link Options#evaluator}).
 *
 * <p>The law of a learned denoiser is that of the sequential sampler on the schedule with this drift;
 * every exact strategy draws it.
 */
public final class OnnxDenoiser extends NetworkModel implements Denoiser {
    /** sigma at t = 0 when neither the options nor the model's metadata give one. */
    public static final double DEFAULT_SIGMA_MAX = 80;

    /**
     * Settings of {@link #open}; every field optional. {@code evaluator}: auto, onnxruntime, host or
     * cuda; {@code backend}: the run's --backend (auto, cpu, cuda), which decides what auto means.
     */
    public record Options(String x, String sigma, String output, Integer d, Double sigmaMax, int threads, int maxRowsPerRun,
                          int chunk, String evaluator, String backend) {
        public static final int DEFAULT_MAX_ROWS = 4096;
        public static final int DEFAULT_CHUNK = 16;
        /** The largest d (a row of x). */
        public static final int MAX_D = 1 << 20;

        public static Options defaults() {
            return new Options(null, null, null, null, null, 0, DEFAULT_MAX_ROWS, DEFAULT_CHUNK, "auto", "auto");
        }

        /** The input fed x / t. */
        public Options withX(String v) {
            return new Options(v, sigma, output, d, sigmaMax, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** The input fed sigma = 1 / sqrt(t). */
        public Options withSigma(String v) {
            return new Options(x, v, output, d, sigmaMax, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** The output read as D. */
        public Options withOutput(String v) {
            return new Options(x, sigma, v, d, sigmaMax, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** d, required when the model's d is dynamic; checked against the model otherwise. */
        public Options withD(Integer v) {
            return new Options(x, sigma, output, v, sigmaMax, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** sigma at t = 0 (f(0, .) = D(0; sigma_max)). */
        public Options withSigmaMax(Double v) {
            return new Options(x, sigma, output, d, v, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** Intra-op threads of ONNX Runtime or of the host executor (0: one per core). */
        public Options withThreads(int v) {
            return new Options(x, sigma, output, d, sigmaMax, v, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** The most rows one run call evaluates when {@code chunk = 0}. */
        public Options withMaxRowsPerRun(int v) {
            return new Options(x, sigma, output, d, sigmaMax, threads, v, chunk, evaluator, backend);
        }

        /** Rows of every run call (padded), for batch invariance; 0: variable batches. */
        public Options withChunk(int v) {
            return new Options(x, sigma, output, d, sigmaMax, threads, maxRowsPerRun, v, evaluator, backend);
        }

        /** What evaluates the network: auto, onnxruntime, host or cuda (see onnx/README.md). */
        public Options withEvaluator(String v) {
            return new Options(x, sigma, output, d, sigmaMax, threads, maxRowsPerRun, chunk, v, backend);
        }

        /** The run's --backend (auto, cpu or cuda): cuda requires the cuda evaluator, cpu picks ONNX Runtime. */
        public Options withBackend(String v) {
            return new Options(x, sigma, output, d, sigmaMax, threads, maxRowsPerRun, chunk, evaluator, v);
        }
    }

    private final String name;
    private final Network network;
    private final int d;
    private final double sigmaMax;
    private final double[] meanAtZero;  // D(0; sigma_max)

    // Per-launch scratch (called once per launch, on one thread): the rows' source.
    private double[] rowPoints;         // row r: rowPoints[rowSource[r] * d ...] * rowScale[r], sigma rowSigma[r]
    private int[] rowSource = new int[0];
    private double[] rowScale = new double[0];
    private double[] rowSigma = new double[0];

    /** The model as checked at load; the network is opened after. */
    private record Contract(String x, String sigma, boolean sigmaColumn, String output, int d, double sigmaMax, long staticBatch) {}

    private OnnxDenoiser(String name, Contract c, Network.Settings settings, Path file, OrtSession session) {
        this.name = name;
        this.d = c.d();
        this.sigmaMax = c.sigmaMax();
        this.meanAtZero = new double[d];
        RowEvaluator.Signature sig = new RowEvaluator.Signature(
                List.of(new RowEvaluator.Tensor(c.x(), false, new long[] {d}),
                        new RowEvaluator.Tensor(c.sigma(), false, c.sigmaColumn() ? new long[] {1} : new long[0])),
                new RowEvaluator.Tensor(c.output(), false, new long[] {d}));
        this.network = Network.open("ONNX denoiser " + name, file, session, sig, new boolean[2], c.staticBatch(), settings, this::probeRow,
                "d = " + d);
    }

    /**
     * Loads a model and checks it against the contract. Bad input (missing file, not an ONNX model,
     * inputs or output that do not fit): an {@link IllegalArgumentException} naming the file and what
     * differs.
     */
    public static OnnxDenoiser open(Path file, Options options) {
        if (options.sigmaMax() != null && !(options.sigmaMax() > 0 && Double.isFinite(options.sigmaMax()))) {
            throw new IllegalArgumentException("sigma-max must be a positive number, got " + options.sigmaMax());
        }
        Network.Settings settings = new Network.Settings(options.threads(), options.chunk(), options.maxRowsPerRun(),
                Network.Choice.parse("evaluator", options.evaluator() == null ? "auto" : options.evaluator()), options.backend());
        OrtSession session = Network.session(file, settings);
        Contract c = Network.contract(file, session, () -> check(file, session, options));
        OnnxDenoiser dn = new OnnxDenoiser(file.getFileName().toString(), c, settings, file, session); // the network owns the session
        try {
            dn.computeMeanAtZero();
            return dn;
        } catch (RuntimeException e) {
            dn.close();
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException(file + ": cannot evaluate the model: " + e.getMessage(), e);
        }
    }

    private static Contract check(Path file, OrtSession session, Options o) throws OrtException {
        String where = "ONNX denoiser " + file;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (inputs.size() < 2) {
            throw new IllegalArgumentException(where + " has " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s") + " "
                    + inputs.keySet() + "; the contract needs two, x [B, d] and sigma [B] (float32)");
        }
        Map<String, TensorInfo> in = new HashMap<>();
        for (NodeInfo n : inputs.values()) in.put(n.getName(), Network.tensor(where, "input", n));
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
        NodeInfo out = Network.pick(where, "output", outputs, o.output());
        TensorInfo tx = in.get(xName), ts = in.get(sigmaName), to = Network.tensor(where, "output", out);
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
            throw new IllegalArgumentException(where + ": input x '" + xName + "' has shape " + Network.shape(sx) + " (rank " + sx.length
                    + "); the contract needs rank 2, [B, d]");
        }
        if (!(ss.length == 1 || (ss.length == 2 && (ss[1] == 1 || ss[1] < 0)))) {
            throw new IllegalArgumentException(where + ": input sigma '" + sigmaName + "' has shape " + Network.shape(ss)
                    + "; the contract needs [B] or [B, 1]");
        }
        if (so.length != 2) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has shape " + Network.shape(so) + " (rank " + so.length
                    + "); the contract needs rank 2, [B, d]");
        }
        long batch = 0;
        for (long b : new long[] {Network.batchOf(where, "input x '" + xName + "'", sx), Network.batchOf(where, "input sigma '" + sigmaName + "'", ss),
                Network.batchOf(where, "output '" + out.getName() + "'", so)}) {
            if (b > 0 && batch > 0 && b != batch) {
                throw new IllegalArgumentException(where + ": the batch dimensions of x " + Network.shape(sx) + ", sigma " + Network.shape(ss)
                        + " and output " + Network.shape(so) + " differ");
            }
            if (b > 0) batch = b;
        }
        if (sx[1] > 0 && so[1] > 0 && sx[1] != so[1]) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has d = " + so[1] + " but input x '" + xName
                    + "' has d = " + sx[1]);
        }
        if (sx[1] == 0 || so[1] == 0) {
            throw new IllegalArgumentException(where + ": " + (sx[1] == 0 ? "input x '" + xName + "' " + Network.shape(sx)
                    : "output '" + out.getName() + "' " + Network.shape(so)) + " declares d = 0; d must be >= 1");
        }
        int d = Network.dimension(where, "d", sx[1] > 0 ? sx[1] : so[1], o.d(), "input x '" + xName + "' " + Network.shape(sx), Options.MAX_D);
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
        return new Contract(xName, sigmaName, ss.length == 2, out.getName(), d, sigmaMax, batch);
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
            sb.append(e.getKey()).append(' ').append(Network.shape(e.getValue().getShape()));
        }
        return sb.toString();
    }

    /** f(0, .) = D(0; sigma_max), evaluated once (in a chunk like any other row). */
    private void computeMeanAtZero() {
        double[] got = evaluate(new double[d], new double[] {sigmaMax});
        for (int i = 0; i < d; i++) {
            meanAtZero[i] = got[i];
            if (!Double.isFinite(meanAtZero[i])) {
                throw new IllegalArgumentException("ONNX denoiser " + name + " returned " + meanAtZero[i] + " in coordinate " + i
                        + " at t = 0 (D(0; sigma_max = " + sigmaMax + "))");
            }
        }
        network.resetForwardRows();
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

    /** Per query of a launch: its row's source, scale and sigma (an int, two doubles), in arrays that grow by doubling. */
    @Override
    public long bytesPerLaunchQuery() {
        return 2 * 20;
    }

    /** {@return sigma fed at t = 0} */
    public double sigmaMax() {
        return sigmaMax;
    }

    /** {@return D(0; sigma_max), the drift at t = 0 (a copy)} */
    public double[] meanAtZero() {
        return meanAtZero.clone();
    }

    @Override
    Network network() {
        return network;
    }

    /**
     * D(z; sigma) for rows of z (row-major, d per row) and sigmas, evaluated as the engine evaluates
     * drifts (in chunks); for tests and users who want the network itself.
     */
    public synchronized double[] evaluate(double[] z, double[] sigma) {
        int rows = sigma.length;
        if (z.length != (long) rows * d) throw new IllegalArgumentException("z has " + z.length + " values, expected " + rows + " x " + d);
        ensure(rows);
        for (int r = 0; r < rows; r++) {
            rowSource[r] = r;
            rowScale[r] = 1;
            rowSigma[r] = sigma[r];
        }
        double[] result = new double[rows * d];
        run(z, rows, result, null);
        return result;
    }

    @Override
    public synchronized void denoise(DriftQueries batch, int from, int to, double[] out) {
        ensure(to - from);
        int rows = 0;
        for (int j = from; j < to; j++) {
            double t = batch.time(j);
            if (t <= 0) {
                System.arraycopy(meanAtZero, 0, out, j * d, d);
                continue;
            }
            rowSource[rows] = j;
            rowScale[rows] = 1 / t;
            rowSigma[rows++] = 1 / Math.sqrt(t);
        }
        if (rows > 0) run(batch.points(), rows, out, rowSource);
    }

    /** Evaluates the rows of {@code points}; row r's output goes to out[(target == null ? r : target[r]) * d ...]. */
    private void run(double[] points, int rows, double[] out, int[] target) {
        rowPoints = points;
        try {
            network.run(rows, this::writeRow, (first, count, result) -> {
                for (int r = 0; r < count; r++) {
                    int to = target == null ? first + r : target[first + r];
                    System.arraycopy(result, r * d, out, to * d, d);
                }
            });
        } finally {
            rowPoints = null;
        }
    }

    /** Row r: x = point * scale and sigma, in float32. */
    private void writeRow(int r, Object[] inputs, int slot) {
        float[] x = (float[]) inputs[0];
        float[] s = (float[]) inputs[1];
        int src = rowSource[r] * d, dst = slot * d;
        double scale = rowScale[r];
        for (int i = 0; i < d; i++) x[dst + i] = (float) (rowPoints[src + i] * scale);
        s[slot] = (float) rowSigma[r];
    }

    /** x = 0 at sigma = 1 (padding), or a probe row: x ~ N(0, I), sigma = exp(N(0, 1)), from the probe's seed. */
    private void probeRow(int which, Object[] inputs, int slot) {
        float[] x = (float[]) inputs[0];
        float[] s = (float[]) inputs[1];
        if (which == Network.REFERENCE) {
            Arrays.fill(x, slot * d, (slot + 1) * d, 0f);
            s[slot] = 1f;
            return;
        }
        java.util.Random rnd = new java.util.Random(Network.probeSeed(which));
        for (int i = 0; i < d; i++) x[slot * d + i] = (float) rnd.nextGaussian();
        s[slot] = (float) Math.exp(rnd.nextGaussian());
    }

    private void ensure(int rows) {
        if (rowSource.length < rows) {
            int len = Math.max(rows, 2 * rowSource.length);
            rowSource = new int[len];
            rowScale = new double[len];
            rowSigma = new double[len];
        }
    }
}
