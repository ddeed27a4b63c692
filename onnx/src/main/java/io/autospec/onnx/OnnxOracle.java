package io.autospec.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.Vocabulary;
import io.autospec.core.OracleException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A learned any-order model as a conditional-marginal oracle, evaluated with ONNX Runtime.
 *
 * <p><b>Contract.</b> One int64 input of shape [B, n]: row b holds the pinned values 0..q-1 and the
 * mask id (default q) at unpinned positions. One output of shape [B, n, q]: logits (float32 or
 * float64); mu(X_i = v | pinned) = softmax(logits[b, i, :])[v], computed here in double with the
 * maximum subtracted. n and q come from the model's static shapes, or from {@link Options} where a
 * dimension is dynamic; B may be dynamic (any number of rows) or fixed (rows are padded with masked rows).
 *
 * <p><b>Batching.</b> A query (branch, position, k) needs the network row "values of the branch's
 * first k steps, masked elsewhere", and that row answers every position at once. So all queries of a
 * launch with the same context share one row. Every run call evaluates exactly {@link Options#chunk}
 * rows (default {@value Options#DEFAULT_CHUNK}; the last chunk of a launch padded with masked rows):
 * ONNX Runtime's CPU provider rounds differently for different batch sizes, so only a fixed batch
 * size makes a row's logits independent of the batch it was computed in, which the fixed-point
 * strategies (jacobi, auto) need to return the sequential samples bit for bit. With {@code chunk = 0}
 * a launch's rows go through one {@code run} call instead (split at {@link Options#maxRowsPerRun}; a
 * run that fails for lack of memory is retried in halves), not batch-invariant.
 * {@link #forwardRows()} counts the rows evaluated, for the run report.
 *
 * <p>The conditionals of a network need not be consistent: the exact target is then the law of
 * sequential any-order sampling along a uniformly random order, which every exact strategy draws.
 */
public final class OnnxOracle implements ConditionalOracle, Vocabulary.Carrier, AutoCloseable {
    /**
     * ONNX metadata property naming a text model's symbols: the i-th character is value i (see
     * {@link Vocabulary}). A sidecar file {@code MODEL.onnx.vocab} (UTF-8, the symbols on one line) is
     * read when the property is absent.
     */
    public static final String VOCABULARY_PROPERTY = "autospec.vocabulary";


    /** Settings of {@link #open}; every field optional. */
    public record Options(Integer n, Integer q, Long mask, String input, String output, int threads, int maxRowsPerRun, int chunk) {
        /** The most rows per run call by default (fewer for long rows: see {@link #TOKENS_PER_RUN}). */
        public static final int DEFAULT_MAX_ROWS = 4096;
        /**
         * By default a run call holds at most this many tokens (rows x n): 1024 rows at n = 64, 256 at
         * n = 256, so that a transformer's activations (rows x n x width, attention rows x heads x n^2)
         * stay within a few hundred MB (with chunk=0; a fixed chunk is smaller).
         */
        public static final int TOKENS_PER_RUN = 1 << 16;
        /** {@link #maxRowsPerRun} value meaning "the default for the model's n". */
        public static final int AUTO_ROWS = 0;
        /** Rows of every run call by default (see {@link #withChunk}). */
        public static final int DEFAULT_CHUNK = 16;

        public static Options defaults() {
            return new Options(null, null, null, null, null, 0, AUTO_ROWS, DEFAULT_CHUNK);
        }

        /**
         * Rows of every run call, the last one of a launch padded with masked rows, so that a row's
         * logits never depend on the batch it was computed in (ONNX Runtime's CPU provider rounds
         * differently for different batch sizes). 0: variable batches of at most
         * {@link #maxRowsPerRun} rows (halving on out of memory), not batch-invariant.
         */
        public Options withChunk(int v) {
            return new Options(n, q, mask, input, output, threads, maxRowsPerRun, v);
        }

        /** n, required when the model's n is dynamic; checked against the model otherwise. */
        public Options withN(Integer v) {
            return new Options(v, q, mask, input, output, threads, maxRowsPerRun, chunk);
        }

        /** q, required when the model's q is dynamic; checked against the model otherwise. */
        public Options withQ(Integer v) {
            return new Options(n, v, mask, input, output, threads, maxRowsPerRun, chunk);
        }

        /** The mask id written at unpinned positions (default q). */
        public Options withMask(Long v) {
            return new Options(n, q, v, input, output, threads, maxRowsPerRun, chunk);
        }

        /** Input to feed, when the model has several. */
        public Options withInput(String v) {
            return new Options(n, q, mask, v, output, threads, maxRowsPerRun, chunk);
        }

        /** Output to read, when the model has several. */
        public Options withOutput(String v) {
            return new Options(n, q, mask, input, v, threads, maxRowsPerRun, chunk);
        }

        /** ONNX Runtime intra-op threads (0: ONNX Runtime's default, one per core). */
        public Options withThreads(int v) {
            return new Options(n, q, mask, input, output, v, maxRowsPerRun, chunk);
        }

        /** The most rows one {@code run} call evaluates ({@link #AUTO_ROWS}: 4096, fewer for n above 64). */
        public Options withMaxRowsPerRun(int v) {
            return new Options(n, q, mask, input, output, threads, v, chunk);
        }
    }

    /**
     * One run call: the logits of a [rows, n] token buffer into {@code logits[offset...]} (as many as
     * fit). The seam tests use to run out of memory on purpose.
     */
    interface Forward {
        void run(LongBuffer tokens, int rows, double[] logits, int offset) throws OrtException;
    }

    private final String name;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int n;
    private final int q;
    private final long mask;
    private final int fixedBatch; // rows of every run call (the model's static batch, or the chunk); 0: variable
    private final int threads;
    private final Vocabulary vocabulary; // null: not a text model
    private int maxRows;           // lowered when a run fails for lack of memory
    private Forward forward = this::runSession;
    private long forwardRows;

    // Per-launch scratch, reused (the oracle is called once per launch, on one thread).
    private final Map<RowKey, Integer> rowOf = new HashMap<>();
    private int[] queryRow = new int[256];
    private Branch[] rowBranch = new Branch[64];
    private int[] rowPinned = new int[64];
    private int[] values = new int[0];
    private double[] logits = new double[0]; // one run call's logits
    private int[] rowQueries = new int[0];   // queries grouped by row: rowQueries[rowFirst[r] .. rowFirst[r + 1])
    private int[] rowFirst = new int[65];

    /** A network row: the first k values of a branch's storage (equal storages read equal values). */
    private record RowKey(Object storage, int k) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey r && r.storage == storage && r.k == k;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(storage) * 31 + k;
        }
    }

    private OnnxOracle(String name, OrtEnvironment env, OrtSession session, String inputName, String outputName,
                       int n, int q, long mask, int fixedBatch, int threads, int maxRows, Vocabulary vocabulary) {
        this.name = name;
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.n = n;
        this.q = q;
        this.mask = mask;
        this.fixedBatch = fixedBatch;
        this.threads = threads;
        this.maxRows = maxRows;
        this.vocabulary = vocabulary;
    }

    /**
     * Loads a model and checks it against the contract. Bad input (missing file, not an ONNX model,
     * an input or output that does not fit, n or q disagreeing with the options): an
     * {@link IllegalArgumentException} naming the file and what differs.
     */
    public static OnnxOracle open(Path file, Options options) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("ONNX model file not found: " + file);
        if (options.maxRowsPerRun() < 0) throw new IllegalArgumentException("max rows per run must be >= 1, got " + options.maxRowsPerRun());
        if (options.threads() < 0) throw new IllegalArgumentException("threads must be >= 0, got " + options.threads());
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
            return check(file, env, session, options);
        } catch (RuntimeException | OrtException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the first error is the one to report
            }
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException(file + ": cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
    }

    private static OnnxOracle check(Path file, OrtEnvironment env, OrtSession session, Options o) throws OrtException {
        String where = "ONNX model " + file;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo in = pick(where, "input", inputs, o.input());
        NodeInfo out = pick(where, "output", outputs, o.output());
        TensorInfo ti = tensor(where, "input", in);
        TensorInfo to = tensor(where, "output", out);
        if (ti.type != OnnxJavaType.INT64) {
            throw new IllegalArgumentException(where + ": input '" + in.getName() + "' has element type " + ti.type
                    + "; the contract needs int64 tokens");
        }
        if (to.type != OnnxJavaType.FLOAT && to.type != OnnxJavaType.DOUBLE) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has element type " + to.type
                    + "; the contract needs float32 or float64 logits");
        }
        long[] si = ti.getShape(), so = to.getShape();
        if (si.length != 2) {
            throw new IllegalArgumentException(where + ": input '" + in.getName() + "' has shape " + shape(si) + " (rank " + si.length
                    + "); the contract needs rank 2, [B, n]");
        }
        if (so.length != 3) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has shape " + shape(so) + " (rank " + so.length
                    + "); the contract needs rank 3, [B, n, q]");
        }
        if (si[0] > 0 && so[0] > 0 && si[0] != so[0]) {
            throw new IllegalArgumentException(where + ": input batch " + si[0] + " differs from output batch " + so[0]);
        }
        if (si[1] > 0 && so[1] > 0 && si[1] != so[1]) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has n = " + so[1] + " but input '"
                    + in.getName() + "' has n = " + si[1]);
        }
        long modelN = si[1] > 0 ? si[1] : so[1];
        int n = dimension(where, "n", modelN, o.n(), "input '" + in.getName() + "' " + shape(si));
        int q = dimension(where, "q", so[2], o.q(), "output '" + out.getName() + "' " + shape(so));
        if (q < 2) throw new IllegalArgumentException(where + ": q = " + q + "; the contract needs at least 2 values per position");
        long mask = o.mask() == null ? q : o.mask();
        if (mask >= 0 && mask < q) {
            throw new IllegalArgumentException(where + ": mask id " + mask + " is a value (values are 0.." + (q - 1) + ")");
        }
        int fixedBatch = si[0] > 0 ? (int) si[0] : so[0] > 0 ? (int) so[0] : 0;
        if (o.chunk() < 0) throw new IllegalArgumentException(where + ": chunk must be >= 0, got " + o.chunk());
        // Every run call has exactly this many rows (padded): the model's static batch, else the chunk (0: variable).
        if (fixedBatch == 0) fixedBatch = o.chunk();
        int rows = o.maxRowsPerRun() != Options.AUTO_ROWS ? o.maxRowsPerRun()
                : Math.max(1, Math.min(Options.DEFAULT_MAX_ROWS, Options.TOKENS_PER_RUN / n));
        int maxRows = fixedBatch > 0 ? fixedBatch : rows;
        Vocabulary vocabulary = vocabulary(file, session, q);
        return new OnnxOracle(file.getFileName().toString(), env, session, in.getName(), out.getName(), n, q, mask, fixedBatch,
                o.threads(), maxRows, vocabulary);
    }

    /** The metadata property {@value #VOCABULARY_PROPERTY}, else the sidecar MODEL.vocab; null if neither. */
    private static Vocabulary vocabulary(Path file, OrtSession session, int q) throws OrtException {
        String symbols = session.getMetadata().getCustomMetadata().get(VOCABULARY_PROPERTY);
        String where = "metadata property " + VOCABULARY_PROPERTY;
        Path sidecar = file.resolveSibling(file.getFileName() + ".vocab");
        if (symbols == null && Files.isRegularFile(sidecar)) {
            try {
                symbols = Files.readString(sidecar, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the vocabulary file " + sidecar + ": " + e.getMessage(), e);
            }
            if (symbols.endsWith("\n")) symbols = symbols.substring(0, symbols.length() - 1);
            if (symbols.endsWith("\r")) symbols = symbols.substring(0, symbols.length() - 1);
            where = "vocabulary file " + sidecar;
        }
        if (symbols == null) return null;
        Vocabulary v;
        try {
            v = Vocabulary.of(symbols);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ONNX model " + file + ": " + where + ": " + e.getMessage());
        }
        if (v.size() != q) {
            throw new IllegalArgumentException("ONNX model " + file + ": " + where + " has " + v.size() + " symbols but the model has q = " + q);
        }
        return v;
    }

    private static NodeInfo pick(String where, String what, Map<String, NodeInfo> nodes, String wanted) {
        if (wanted != null) {
            NodeInfo info = nodes.get(wanted);
            if (info == null) throw new IllegalArgumentException(where + " has no " + what + " '" + wanted + "' (its " + what + "s: " + nodes.keySet() + ")");
            return info;
        }
        if (nodes.size() != 1) {
            throw new IllegalArgumentException(where + " has " + nodes.size() + " " + what + "s " + nodes.keySet() + "; name the one to use with "
                    + what + "=NAME");
        }
        return nodes.values().iterator().next();
    }

    private static TensorInfo tensor(String where, String what, NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo t)) {
            throw new IllegalArgumentException(where + ": " + what + " '" + node.getName() + "' is not a tensor (" + node.getInfo() + ")");
        }
        return t;
    }

    private static int dimension(String where, String name, long model, Integer option, String source) {
        if (model > 0) {
            if (option != null && option != model) {
                throw new IllegalArgumentException(where + ": " + name + " = " + option + " was asked for, but the model's " + source
                        + " has " + name + " = " + model);
            }
            if (model > Integer.MAX_VALUE / 4) throw new IllegalArgumentException(where + ": " + name + " = " + model + " is too large");
            return (int) model;
        }
        if (option == null) {
            throw new IllegalArgumentException(where + ": " + name + " is dynamic in " + source + "; give " + name + "=N");
        }
        if (option < 1) throw new IllegalArgumentException(where + ": " + name + " must be >= 1, got " + option);
        return option;
    }

    private static String shape(long[] s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(s[i] < 0 ? "?" : Long.toString(s[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public int alphabet() {
        return q;
    }

    @Override
    public String describe() {
        return "onnx(" + name + ", n=" + n + ", q=" + q + ")";
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

    /** {@return the symbols of a text model (from its metadata or sidecar file), or null} */
    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** ONNX Runtime intra-op threads (0: its default). */
    public int threads() {
        return threads;
    }

    /** The most rows one run call evaluates now (lowered after a run ran out of memory). */
    public int maxRowsPerRun() {
        return maxRows;
    }

    /** For tests: replaces the session's forward pass (e.g. to fail for lack of memory). */
    void forward(Forward f) {
        this.forward = f;
    }

    @Override
    public synchronized void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        int rows = groupRows(batch, from, to);
        // Queries by row (counting sort), so that each run call's logits are used and dropped at once.
        if (rowFirst.length < rows + 1) rowFirst = new int[Math.max(rows + 1, 2 * rowFirst.length)];
        if (rowQueries.length < to - from) rowQueries = new int[Math.max(to - from, 2 * rowQueries.length)];
        Arrays.fill(rowFirst, 0, rows + 1, 0);
        for (int j = from; j < to; j++) rowFirst[queryRow[j - from] + 1]++;
        for (int r = 0; r < rows; r++) rowFirst[r + 1] += rowFirst[r];
        for (int j = from; j < to; j++) rowQueries[rowFirst[queryRow[j - from]]++] = j;
        for (int r = rows; r > 0; r--) rowFirst[r] = rowFirst[r - 1];
        rowFirst[0] = 0;
        evaluate(rows, batch, out);
        forwardRows += rows;
    }

    /** Assigns each query of [from, to) a row, one per distinct context; returns the number of rows. */
    private int groupRows(ConditionalQueries batch, int from, int to) {
        rowOf.clear();
        if (queryRow.length < to - from) queryRow = new int[Math.max(to - from, 2 * queryRow.length)];
        int rows = 0;
        for (int j = from; j < to; j++) {
            Branch b = batch.context(j);
            int k = batch.pinned(j);
            Integer row = rowOf.get(new RowKey(b.storageIdentity(), k));
            if (row == null) {
                row = rows++;
                rowOf.put(new RowKey(b.storageIdentity(), k), row);
                if (row == rowBranch.length) {
                    rowBranch = Arrays.copyOf(rowBranch, 2 * row);
                    rowPinned = Arrays.copyOf(rowPinned, 2 * row);
                }
                rowBranch[row] = b;
                rowPinned[row] = k;
            }
            queryRow[j - from] = row;
        }
        return rows;
    }

    /**
     * Runs rows [0, rows) in chunks of at most maxRows, each chunk's queries answered from its logits;
     * a chunk that runs out of memory is halved.
     */
    private void evaluate(int rows, ConditionalQueries batch, double[] out) {
        for (int start = 0; start < rows; ) {
            int count = Math.min(maxRows, rows - start);
            try {
                if (logits.length < count * n * q) logits = new double[count * n * q];
                runRows(start, count);
                for (int r = start; r < start + count; r++) {
                    for (int i = rowFirst[r]; i < rowFirst[r + 1]; i++) softmax(batch, rowQueries[i], r - start, out);
                }
                start += count;
            } catch (OrtException | OutOfMemoryError e) {
                if (!outOfMemory(e)) throw new OracleException("ONNX model " + name + " failed on a batch of " + count + " rows: " + e.getMessage());
                if (count == 1 || fixedBatch > 0) {
                    throw new OracleException("ONNX model " + name + " ran out of memory on a batch of " + count + " row" + (count == 1 ? "" : "s")
                            + (fixedBatch > 0 ? " (every run has " + fixedBatch + " rows: the model's static batch or chunk=C; a smaller chunk needs less)" : "") + ": " + e.getMessage());
                }
                maxRows = Math.max(1, count / 2); // later launches start at the size that fitted
            }
        }
        Arrays.fill(rowBranch, 0, rows, null);
    }

    static boolean outOfMemory(Throwable e) {
        if (e instanceof OutOfMemoryError) return true;
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("alloc") || m.contains("out of memory") || m.contains("bad_alloc");
    }

    /** Writes rows [start, start + count) as tokens and their logits into logits[0 ...]. */
    private void runRows(int start, int count) throws OrtException {
        int padded = fixedBatch > 0 ? fixedBatch : count;
        LongBuffer tokens = LongBuffer.allocate(padded * n);
        if (values.length < n) values = new int[n];
        for (int r = 0; r < padded; r++) {
            int base = r * n;
            for (int i = 0; i < n; i++) tokens.put(base + i, mask);
            if (r >= count) continue;
            Branch b = rowBranch[start + r];
            int k = rowPinned[start + r];
            Order order = b.order();
            b.copyValues(0, k, values, 0);
            for (int s = 0; s < k; s++) tokens.put(base + order.position(s), values[s]);
        }
        forward.run(tokens, padded, logits, 0);
    }

    /** The session's forward pass: one run call for {@code rows} rows. */
    private void runSession(LongBuffer tokens, int rows, double[] into, int offset) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, tokens, new long[] {rows, n});
             OrtSession.Result result = session.run(Map.of(inputName, input), Set.of(outputName))) {
            OnnxValue v = result.get(outputName).orElseThrow();
            if (!(v instanceof OnnxTensor t)) throw new OracleException("ONNX model " + name + ": output '" + outputName + "' is not a tensor");
            long[] shape = t.getInfo().getShape();
            if (shape.length != 3 || shape[0] != rows || shape[1] != n || shape[2] != q) {
                throw new OracleException("ONNX model " + name + ": output '" + outputName + "' has shape " + shape(shape) + " for "
                        + rows + " rows; expected [" + rows + ", " + n + ", " + q + "]");
            }
            int size = Math.min(rows * n * q, into.length - offset); // padding rows of a fixed batch are dropped
            if (t.getInfo().type == OnnxJavaType.FLOAT) {
                FloatBuffer fb = t.getFloatBuffer();
                for (int i = 0; i < size; i++) into[offset + i] = fb.get(i);
            } else {
                DoubleBuffer db = t.getDoubleBuffer();
                db.get(0, into, offset, size);
            }
        }
    }

    /** Query j's law: softmax of its row's logits (row of the current run call) at its position, in double, maximum subtracted. */
    private void softmax(ConditionalQueries batch, int j, int row, double[] out) {
        int position = batch.position(j);
        int base = (row * n + position) * q;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < q; v++) {
            double l = logits[base + v];
            if (!Double.isFinite(l)) {
                throw new OracleException("ONNX model " + name + " returned a non-finite logit (" + l + ") for value " + v + " at "
                        + batch.describe(j));
            }
            max = Math.max(max, l);
        }
        double sum = 0;
        int o = j * q;
        for (int v = 0; v < q; v++) {
            double e = Math.exp(logits[base + v] - max);
            out[o + v] = e;
            sum += e;
        }
        for (int v = 0; v < q; v++) out[o + v] /= sum;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX model " + name + ": " + e.getMessage(), e);
        }
    }
}
