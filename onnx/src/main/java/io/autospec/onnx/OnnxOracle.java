package io.autospec.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.Vocabulary;
import io.autospec.core.OracleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * launch with the same context share one row. The rows go to a {@link Network}, which evaluates them
 * in fixed chunks of {@link Options#chunk} rows (default {@value Options#DEFAULT_CHUNK}; the last one
 * padded with masked rows, the chunk checked at load for position invariance), so that a row's logits
 * never depend on the batch it was computed in, which the fixed-point strategies (jacobi, auto) need
 * to return the sequential samples bit for bit. With {@code chunk = 0} a launch's rows go through
 * variable batches of at most {@link Options#maxRowsPerRun} rows instead (halved when one runs out of
 * memory), not batch-invariant. The network runs on ONNX Runtime or on autospec's own executors
 * ({@link Options#evaluator}). {@link #forwardRows()} counts the rows evaluated, for the run report.
 *
 * <p>The conditionals of a network need not be consistent: the exact target is then the law of
 * sequential any-order sampling along a uniformly random order, which every exact strategy draws.
 */
public final class OnnxOracle extends NetworkModel implements ConditionalOracle, Vocabulary.Carrier {
    /**
     * ONNX metadata property naming a text model's symbols: the i-th character is value i (see
     * {@link Vocabulary}). A sidecar file {@code MODEL.onnx.vocab} (UTF-8, the symbols on one line) is
     * read when the property is absent.
     */
    public static final String VOCABULARY_PROPERTY = "autospec.vocabulary";

    /**
     * Settings of {@link #open}; every field optional. {@code evaluator}: auto, onnxruntime, host or
     * cuda; {@code backend}: the run's --backend (auto, cpu, cuda), which decides what auto means.
     */
    public record Options(Integer n, Integer q, Long mask, String input, String output, int threads, int maxRowsPerRun, int chunk,
                          String evaluator, String backend) {
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
            return new Options(null, null, null, null, null, 0, AUTO_ROWS, DEFAULT_CHUNK, "auto", "auto");
        }

        /**
         * Rows of every run call, the last one of a launch padded with masked rows, so that a row's
         * logits never depend on the batch it was computed in; checked at load (see {@link Network}).
         * 0: variable batches of at most {@link #maxRowsPerRun} rows (halving on out of memory), not
         * batch-invariant.
         */
        public Options withChunk(int v) {
            return new Options(n, q, mask, input, output, threads, maxRowsPerRun, v, evaluator, backend);
        }

        /** n, required when the model's n is dynamic; checked against the model otherwise. */
        public Options withN(Integer v) {
            return new Options(v, q, mask, input, output, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** q, required when the model's q is dynamic; checked against the model otherwise. */
        public Options withQ(Integer v) {
            return new Options(n, v, mask, input, output, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** The mask id written at unpinned positions (default q). */
        public Options withMask(Long v) {
            return new Options(n, q, v, input, output, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** Input to feed, when the model has several. */
        public Options withInput(String v) {
            return new Options(n, q, mask, v, output, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** Output to read, when the model has several. */
        public Options withOutput(String v) {
            return new Options(n, q, mask, input, v, threads, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** Intra-op threads of ONNX Runtime or of the host executor (0: one per core). */
        public Options withThreads(int v) {
            return new Options(n, q, mask, input, output, v, maxRowsPerRun, chunk, evaluator, backend);
        }

        /** The most rows one {@code run} call evaluates ({@link #AUTO_ROWS}: 4096, fewer for n above 64). */
        public Options withMaxRowsPerRun(int v) {
            return new Options(n, q, mask, input, output, threads, v, chunk, evaluator, backend);
        }

        /** What evaluates the network: auto, onnxruntime, host or cuda (see onnx/README.md). */
        public Options withEvaluator(String v) {
            return new Options(n, q, mask, input, output, threads, maxRowsPerRun, chunk, v, backend);
        }

        /** The run's --backend (auto, cpu or cuda): cuda requires the cuda evaluator, cpu picks ONNX Runtime. */
        public Options withBackend(String v) {
            return new Options(n, q, mask, input, output, threads, maxRowsPerRun, chunk, evaluator, v);
        }
    }

    private final String name;
    private final Network network;
    private final int n;
    private final int q;
    private final int mask;
    private final Vocabulary vocabulary; // null: not a text model

    // Per-launch scratch, reused (the oracle is called once per launch, on one thread).
    private final Map<RowKey, Integer> rowOf = new HashMap<>();
    private int[] queryRow = new int[256];
    private Branch[] rowBranch = new Branch[64];
    private int[] rowPinned = new int[64];
    private int[] values = new int[0];
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

    /** The model as checked at load; the network is opened after. */
    private record Contract(String input, String output, int n, int q, int mask, long staticBatch, Vocabulary vocabulary) {}

    private OnnxOracle(String name, Contract c, Network.Settings settings, Path file, OrtSession session) {
        this.name = name;
        this.n = c.n();
        this.q = c.q();
        this.mask = c.mask();
        this.vocabulary = c.vocabulary();
        RowEvaluator.Signature sig = new RowEvaluator.Signature(
                List.of(new RowEvaluator.Tensor(c.input(), true, new long[] {n})),
                new RowEvaluator.Tensor(c.output(), false, new long[] {n, q}));
        this.network = Network.open("ONNX model " + name, file, session, sig, new boolean[] {true}, c.staticBatch(), settings,
                this::probeRow, "n = " + n + " x q = " + q);
    }

    /**
     * Loads a model and checks it against the contract. Bad input (missing file, not an ONNX model,
     * an input or output that does not fit, n or q disagreeing with the options, a chunk that is not
     * batch-invariant, an evaluator that cannot run it): an {@link IllegalArgumentException} naming
     * the file and what differs.
     */
    public static OnnxOracle open(Path file, Options options) {
        if (options.maxRowsPerRun() < 0) throw new IllegalArgumentException("max-rows must be >= 1, got " + options.maxRowsPerRun());
        Network.Settings settings = new Network.Settings(options.threads(), options.chunk(),
                options.maxRowsPerRun() == Options.AUTO_ROWS ? 1 : options.maxRowsPerRun(),
                Network.Choice.parse("evaluator", options.evaluator() == null ? "auto" : options.evaluator()), options.backend());
        OrtSession session = Network.session(file, settings);
        Contract c = Network.contract(file, session, () -> check(file, session, options));
        if (options.maxRowsPerRun() == Options.AUTO_ROWS) {
            long rows = Math.min(Options.DEFAULT_MAX_ROWS, Options.TOKENS_PER_RUN / c.n());
            rows = Math.min(rows, Network.MAX_ELEMENTS / ((long) c.n() * c.q()));
            settings = new Network.Settings(settings.threads(), settings.chunk(), (int) Math.max(1, rows), settings.evaluator(),
                    settings.backend());
        }
        return new OnnxOracle(file.getFileName().toString(), c, settings, file, session); // the network owns the session
    }

    private static Contract check(Path file, OrtSession session, Options o) throws OrtException {
        String where = "ONNX model " + file;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo in = Network.pick(where, "input", inputs, o.input());
        NodeInfo out = Network.pick(where, "output", outputs, o.output());
        TensorInfo ti = Network.tensor(where, "input", in);
        TensorInfo to = Network.tensor(where, "output", out);
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
            throw new IllegalArgumentException(where + ": input '" + in.getName() + "' has shape " + Network.shape(si) + " (rank " + si.length
                    + "); the contract needs rank 2, [B, n]");
        }
        if (so.length != 3) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has shape " + Network.shape(so) + " (rank " + so.length
                    + "); the contract needs rank 3, [B, n, q]");
        }
        long bi = Network.batchOf(where, "input '" + in.getName() + "'", si), bo = Network.batchOf(where, "output '" + out.getName() + "'", so);
        if (bi > 0 && bo > 0 && bi != bo) {
            throw new IllegalArgumentException(where + ": input batch " + bi + " differs from output batch " + bo);
        }
        if (si[1] > 0 && so[1] > 0 && si[1] != so[1]) {
            throw new IllegalArgumentException(where + ": output '" + out.getName() + "' has n = " + so[1] + " but input '"
                    + in.getName() + "' has n = " + si[1]);
        }
        if (si[1] == 0 || so[1] == 0) {
            throw new IllegalArgumentException(where + ": " + (si[1] == 0 ? "input '" + in.getName() + "' " + Network.shape(si)
                    : "output '" + out.getName() + "' " + Network.shape(so)) + " declares n = 0; n must be >= 1");
        }
        long modelN = si[1] > 0 ? si[1] : so[1];
        int n = Network.dimension(where, "n", modelN, o.n(), "input '" + in.getName() + "' " + Network.shape(si), Integer.MAX_VALUE / 4);
        int q = Network.dimension(where, "q", so[2], o.q(), "output '" + out.getName() + "' " + Network.shape(so), Integer.MAX_VALUE / 4);
        if (q < 2) throw new IllegalArgumentException(where + ": q = " + q + "; the contract needs at least 2 values per position");
        long mask = o.mask() == null ? q : o.mask();
        if (mask >= 0 && mask < q) {
            throw new IllegalArgumentException(where + ": mask id " + mask + " is a value (values are 0.." + (q - 1) + ")");
        }
        if (mask != (int) mask) throw new IllegalArgumentException(where + ": mask id " + mask + " does not fit in 32 bits");
        Vocabulary vocabulary = vocabulary(file, session, q);
        return new Contract(in.getName(), out.getName(), n, q, (int) mask, bi > 0 ? bi : bo, vocabulary);
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

    /**
     * Per query of a launch: its row index and place in the grouping (2 ints), and at most one row:
     * its key in the row map (key, node, boxed index, table slot: about 85 bytes), branch, k and
     * group start; the arrays grow by doubling.
     */
    @Override
    public long bytesPerLaunchQuery() {
        return 2 * 8 + 85 + 2 * 16;
    }

    /** {@return the symbols of a text model (from its metadata or sidecar file), or null} */
    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** {@return the id written at unpinned positions} */
    int mask() {
        return mask;
    }

    @Override
    Network network() {
        return network;
    }

    @Override
    public synchronized void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        int rows = groupRows(batch, from, to);
        // Queries by row (counting sort), so that each evaluation's logits are used and dropped at once.
        if (rowFirst.length < rows + 1) rowFirst = new int[Math.max(rows + 1, 2 * rowFirst.length)];
        if (rowQueries.length < to - from) rowQueries = new int[Math.max(to - from, 2 * rowQueries.length)];
        Arrays.fill(rowFirst, 0, rows + 1, 0);
        for (int j = from; j < to; j++) rowFirst[queryRow[j - from] + 1]++;
        for (int r = 0; r < rows; r++) rowFirst[r + 1] += rowFirst[r];
        for (int j = from; j < to; j++) rowQueries[rowFirst[queryRow[j - from]]++] = j;
        for (int r = rows; r > 0; r--) rowFirst[r] = rowFirst[r - 1];
        rowFirst[0] = 0;
        try {
            network.run(rows, this::writeRow, (first, count, logits) -> {
                for (int r = first; r < first + count; r++) {
                    for (int i = rowFirst[r]; i < rowFirst[r + 1]; i++) softmax(batch, rowQueries[i], logits, r - first, out);
                }
            });
        } finally {
            Arrays.fill(rowBranch, 0, rows, null);
        }
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

    /** Row r's tokens: the branch's first k values at their positions, the mask elsewhere. */
    private void writeRow(int r, Object[] inputs, int slot) {
        int[] tokens = (int[]) inputs[0];
        int base = slot * n;
        Arrays.fill(tokens, base, base + n, mask);
        Branch b = rowBranch[r];
        int k = rowPinned[r];
        if (values.length < n) values = new int[n];
        Order order = b.order();
        b.copyValues(0, k, values, 0);
        for (int s = 0; s < k; s++) tokens[base + order.position(s)] = values[s];
    }

    /** The fully masked row (padding), or a probe row: each position pinned to a random value with probability 1/2. */
    private void probeRow(int which, Object[] inputs, int slot) {
        int[] tokens = (int[]) inputs[0];
        int base = slot * n;
        if (which == Network.REFERENCE) {
            Arrays.fill(tokens, base, base + n, mask);
            return;
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(Network.probeSeed(which));
        for (int i = 0; i < n; i++) tokens[base + i] = rnd.nextBoolean() ? mask : rnd.nextInt(q);
    }

    /** Query j's law: softmax of its row's logits at its position, in double, maximum subtracted. */
    private void softmax(ConditionalQueries batch, int j, double[] logits, int row, double[] out) {
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
}
