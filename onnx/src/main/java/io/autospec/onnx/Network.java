package io.autospec.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.autospec.core.OracleException;
import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.NnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded network and how its rows are run, shared by {@link OnnxOracle} (rows of tokens) and
 * {@link OnnxDenoiser} ((x, sigma) rows): the choice of {@link RowEvaluator}, the sizes of its buffers,
 * and the batching. The model classes write rows ({@link Rows}) and read results ({@link Results});
 * everything between is here.
 *
 * <p><b>Fixed chunks.</b> With {@code chunk = C > 0} every evaluation has exactly C rows (the last one
 * of a launch padded with the model's reference row), so a row's output never depends on the launch
 * it was computed in. That holds only if, within a chunk, a row's output depends on nothing but the
 * row: ONNX Runtime's CPU kernels compute the last {@code C mod 4} rows of a batch in a scalar tail
 * (other rounding, which changes some bits of about one row in three), so at load the chunk is checked
 * ({@link #positionVariance}): distinct probe rows at every position of a chunk, beside different
 * neighbours, must give the same bits. A chunk that fails is
 * refused naming one that passes. The host plan evaluator ({@link RowEvaluator#rowByRow}) computes
 * each row on its own by construction: it gets at most C rows per call, unpadded. {@code chunk = 0}: variable batches of at most {@code max-rows}
 * rows, halved when one runs out of memory; not batch-invariant.
 */
final class Network implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("autospec");

    /** The most elements of one Java array (and so of one buffer of rows). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Which evaluator runs the network: the option {@code evaluator=}. */
    enum Choice { AUTO, ONNXRUNTIME, HOST, CUDA;

        static Choice parse(String spec, String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(spec + ": evaluator must be auto, onnxruntime, host or cuda, got '" + value + "'");
            }
        }
    }

    /**
     * What the user asked for: intra-op threads (0: one per core), rows of every evaluation (0:
     * variable), the most rows of a variable batch, the evaluator and the run's {@code --backend}
     * (auto, cpu or cuda).
     */
    record Settings(int threads, int chunk, int maxRows, Choice evaluator, String backend) {}

    /**
     * Writes one row into slot {@code slot} of the input buffers ({@code inputs[i]}: the signature's
     * input i, int[] or float[], dense, batch first). Rows 0.. are the caller's; {@link #REFERENCE} is
     * the model's padding row, and ids below it are probe rows for the load-time check
     * ({@link #probeSeed}: pseudo-random rows, the same for the same seed).
     */
    interface Rows {
        void write(int row, Object[] inputs, int slot);
    }

    /** The row that pads a chunk. */
    static final int REFERENCE = -1;

    /** Receives the outputs of rows [first, first + count): row first + r at out[r * rowElements ...]. */
    interface Results {
        void read(int first, int count, double[] out);
    }

    private final String where; // "ONNX model NAME", for messages
    private final RowEvaluator.Signature signature;
    private final Rows reference;
    private final int chunk;    // rows of every evaluation; 0: variable
    private final int threads;
    private int maxRows;        // variable batches: lowered when one runs out of memory
    private RowEvaluator evaluator;
    private final Object[] inputs;
    private double[] out = new double[0];
    private long forwardRows;

    private Network(String where, RowEvaluator.Signature signature, Rows reference, int chunk, int maxRows, int threads,
                    RowEvaluator evaluator) {
        this.where = where;
        this.signature = signature;
        this.reference = reference;
        this.chunk = chunk;
        this.maxRows = maxRows;
        this.threads = threads;
        this.evaluator = evaluator;
        this.inputs = new Object[signature.inputs().size()];
        for (int i = 0; i < inputs.length; i++) inputs[i] = signature.inputs().get(i).tokens() ? new int[0] : new float[0];
    }

    // ---------------------------------------------------------------- loading

    /**
     * Checks that {@code file} is a regular file and the settings are in range, and opens it with
     * ONNX Runtime (for the contract checks, and as the evaluator unless another is chosen).
     */
    static OrtSession session(Path file, Settings s) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("ONNX model file not found: " + file);
        }
        if (!a.isRegularFile()) {
            String what = a.isDirectory() ? "a directory" : Files.isSymbolicLink(file) ? "a broken link"
                    : a.isOther() ? "a device, FIFO or socket" : "not a regular file";
            throw new IllegalArgumentException("ONNX model " + file + " is " + what + ", not a model file");
        }
        if (!Files.isReadable(file)) throw new IllegalArgumentException("ONNX model file " + file + " is not readable");
        if (s.threads() < 0) throw new IllegalArgumentException("threads must be >= 0, got " + s.threads());
        if (s.chunk() < 0) throw new IllegalArgumentException("chunk must be >= 0, got " + s.chunk());
        if (s.maxRows() < 1) throw new IllegalArgumentException("max-rows must be >= 1, got " + s.maxRows());
        return OrtEvaluator.open(file, s.threads());
    }

    /**
     * The network behind a checked contract: picks the evaluator, sizes the buffers and checks the
     * chunk. Closes {@code session} unless ONNX Runtime is the evaluator (then the network owns it),
     * also on failure.
     *
     * @param staticBatch the model's static batch (then it is the chunk), or 0 when dynamic
     * @param int64 per input: tokens fed as int64 to ONNX Runtime (else int32)
     * @param rowSize the row's dimensions as messages name them, e.g. "n = 64 x q = 2"
     */
    static Network open(String where, Path file, OrtSession session, RowEvaluator.Signature signature, boolean[] int64,
                        long staticBatch, Settings s, Rows reference, String rowSize) {
        RowEvaluator evaluator = null;
        try {
            if (staticBatch > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + ": static batch " + staticBatch + " is too large (at most " + Integer.MAX_VALUE + ")");
            }
            int chunk = staticBatch > 0 ? (int) staticBatch : s.chunk();
            String chunkName = staticBatch > 0 ? "the model's static batch " + staticBatch : "chunk=" + chunk;
            long rowElements = Math.max(signature.output().rowElements(), maxInputElements(signature));
            if (rowElements > MAX_ELEMENTS) {
                throw new IllegalArgumentException(where + ": a row of " + rowSize + " is " + rowElements
                        + " values, more than one buffer holds (" + MAX_ELEMENTS + ")");
            }
            int maxRows = chunk > 0 ? chunk : s.maxRows();
            long needed = multiply(maxRows, rowElements);
            if (needed > MAX_ELEMENTS) {
                String option = chunk > 0 ? chunkName : "max-rows=" + maxRows;
                throw new IllegalArgumentException(where + ": " + option + " rows of " + rowSize + " need " + (needed == Long.MAX_VALUE
                        ? "more than 2^63" : Long.toString(needed)) + " values in one buffer, more than it holds (" + MAX_ELEMENTS
                        + "); give a smaller " + (chunk > 0 && staticBatch == 0 ? "chunk" : staticBatch > 0 ? "model" : "max-rows"));
            }
            evaluator = choose(where, file, session, signature, int64, staticBatch > 0 ? chunk : 0, chunk, s);
            session = null; // owned by the evaluator, or closed
            Network net = new Network(where, signature, reference, chunk, maxRows, s.threads(), evaluator);
            // autospec's own executors are batch-invariant by construction (nn.Step: one thread per
            // element, fixed reduction order; the nn and cuda tests check it): only ONNX Runtime is probed.
            if (chunk > 0 && !(net.evaluator instanceof PlanEvaluator)) net.checkChunk(staticBatch > 0, chunkName);
            return net;
        } catch (RuntimeException e) {
            if (evaluator != null) evaluator.close();
            closeQuietly(session);
            if (e instanceof RowEvaluator.Failure) throw new IllegalArgumentException(where + ": cannot evaluate the model: " + e.getMessage(), e);
            throw e;
        }
    }

    private static long maxInputElements(RowEvaluator.Signature signature) {
        long m = 0;
        for (RowEvaluator.Tensor t : signature.inputs()) m = Math.max(m, t.rowElements());
        return m;
    }

    /** a x b, or Long.MAX_VALUE when it overflows. */
    static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Reads a model's inputs and outputs from its session. */
    interface ContractReader<C> {
        C read() throws OrtException;
    }

    /**
     * The contract {@code reader} reads from the model's session; when it cannot, the session is
     * closed and the failure is an {@link IllegalArgumentException} naming the file.
     */
    static <C> C contract(Path file, OrtSession session, ContractReader<C> reader) {
        try {
            return reader.read();
        } catch (RuntimeException | OrtException e) {
            closeQuietly(session);
            if (e instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException(file + ": cannot read the model's inputs and outputs: " + OrtEvaluator.oneLine(e), e);
        }
    }

    static void closeQuietly(OrtSession session) {
        if (session == null) return;
        try {
            session.close();
        } catch (OrtException ignored) {
            // the first error is the one to report
        }
    }

    /**
     * The evaluator for {@code evaluator=} and {@code --backend}: cuda when asked for (it must work),
     * ONNX Runtime on backend cpu, and on backend auto cuda where a device is available and supports
     * the graph, else ONNX Runtime with one line saying why.
     */
    private static RowEvaluator choose(String where, Path file, OrtSession session, RowEvaluator.Signature signature,
                                       boolean[] int64, int staticBatch, int chunk, Settings s) {
        String backend = s.backend() == null ? "auto" : s.backend();
        Choice c = s.evaluator();
        if (backend.equals("cuda") && (c == Choice.ONNXRUNTIME || c == Choice.HOST)) {
            throw new IllegalArgumentException(where + ": evaluator=" + c.name().toLowerCase(Locale.ROOT)
                    + " runs on the CPU but the backend cuda was asked for (use evaluator=cuda or auto, or the cpu backend)");
        }
        if (backend.equals("cpu") && c == Choice.CUDA) {
            throw new IllegalArgumentException(where + ": evaluator=cuda runs on the GPU but the backend cpu was asked for");
        }
        boolean cudaRequired = c == Choice.CUDA || (c == Choice.AUTO && backend.equals("cuda"));
        if (cudaRequired || c == Choice.HOST) {
            String name = cudaRequired ? "cuda" : "host";
            if (chunk == 0) {
                throw new IllegalArgumentException(where + ": the " + name + " evaluator runs fixed chunks; chunk=0 (variable batches)"
                        + " needs evaluator=onnxruntime");
            }
            ExecutorProvider device = null;
            if (cudaRequired) {
                device = cudaProvider();
                String why = device == null ? "no cuda executor is registered in this build (io.autospec.nn.ExecutorProvider \"cuda\")"
                        : device.unavailable().orElse(null);
                if (why != null) throw new IllegalArgumentException(where + ": the cuda evaluator is unavailable: " + why);
            }
            RowEvaluator e = plan(where, file, signature, chunk, device, s.threads(), staticBatch > 0);
            closeQuietly(session);
            return e;
        }
        if (c == Choice.AUTO && backend.equals("auto")) {
            String why;
            ExecutorProvider device = cudaProvider();
            if (chunk == 0) {
                why = "chunk=0 (variable batches) runs on ONNX Runtime";
            } else if (device == null) {
                why = "no cuda executor in this build";
            } else {
                why = device.unavailable().orElse(null);
                if (why == null) {
                    try {
                        RowEvaluator e = PlanEvaluator.open(file, signature, chunk, device, s.threads(), staticBatch > 0);
                        closeQuietly(session);
                        return e;
                    } catch (RuntimeException e) { // auto falls back whatever stopped the device
                        why = OrtEvaluator.oneLine(e);
                    }
                }
            }
            LOG.info("{}: evaluator onnxruntime-cpu (cuda: {})", where, why);
        }
        return new OrtEvaluator(session, signature, int64, staticBatch);
    }

    /** A required plan evaluator: what it cannot run is a usage error naming the op and node. */
    private static RowEvaluator plan(String where, Path file, RowEvaluator.Signature signature, int chunk, ExecutorProvider device,
                                     int threads, boolean staticBatch) {
        try {
            return PlanEvaluator.open(file, signature, chunk, device, threads, staticBatch);
        } catch (NnException e) {
            throw new IllegalArgumentException(where + ": the " + (device == null ? "host" : device.name()) + " evaluator cannot run it: "
                    + OrtEvaluator.oneLine(e), e);
        }
    }

    /** The registered device named "cuda", or null. */
    static ExecutorProvider cudaProvider() {
        for (ExecutorProvider p : ServiceLoader.load(ExecutorProvider.class)) {
            if (p.name().equals("cuda")) return p;
        }
        return null;
    }

    /** Refuses a chunk whose rows' outputs depend on their position; names a size that passes. */
    private void checkChunk(boolean staticBatch, String chunkName) {
        String variance = positionVariance(chunk);
        if (variance == null) return;
        String advice;
        if (staticBatch) {
            advice = "export the model with a dynamic batch";
        } else if (evaluator.batch() == 0) {
            Integer ok = null;
            int up = (chunk + 3) / 4 * 4;
            for (int candidate : new int[] {up, chunk / 4 * 4, 16, 8, 4}) {
                if (candidate > 0 && candidate != chunk && positionVariance(candidate) == null) {
                    ok = candidate;
                    break;
                }
            }
            advice = ok == null ? "use another chunk" : "use chunk=" + ok + " (it passes the same check)";
        } else {
            advice = "use another chunk or evaluator";
        }
        throw new IllegalArgumentException(where + ": " + chunkName + " is not batch-invariant on " + evaluator.name() + ": " + variance
                + "; " + advice);
    }

    /**
     * Output values compared at each position of a chunk at load: a row computed in a scalar tail
     * differs in about one of 200 values (one digits-denoiser row in three), so a position sees
     * enough rows for this many values, between 2 and 32 rows.
     */
    static final int PROBE_VALUES = 2048;

    /**
     * Null when, in evaluations of {@code rows} rows, a row's output does not depend on its position or
     * its neighbours; else what differed. Groups of {@code rows} distinct probe rows are evaluated in
     * order and then cyclically shifted, so that each position holds rows first seen at other
     * positions beside other neighbours (enough rows for {@link #PROBE_VALUES} values, 2 to 32), and
     * every copy of a row must give the same bits as its first. Cost: about that many evaluations of
     * {@code rows} rows, once at load.
     */
    String positionVariance(int rows) {
        if (rows == 1) return null;
        int width = Math.toIntExact(signature.output().rowElements());
        int visits = (int) Math.max(2, Math.min(32, (PROBE_VALUES + width - 1) / width));
        double[] first = new double[Math.toIntExact((long) rows * width)];
        for (int g = 0, done = 0; done < visits; g++) {
            int shifts = Math.min(rows - 1, visits - done);
            for (int shift = 0; shift <= shifts; shift++) {
                ensure(rows);
                for (int p = 0; p < rows; p++) reference.write(probe(g * rows + (p + shift) % rows), inputs, p);
                double[] got = evaluateNow(rows);
                if (shift == 0) {
                    System.arraycopy(got, 0, first, 0, rows * width);
                    continue;
                }
                for (int p = 0; p < rows; p++) {
                    int row = (p + shift) % rows;
                    for (int k = 0; k < width; k++) {
                        double a = first[row * width + k], b = got[p * width + k];
                        if (Double.doubleToLongBits(a) != Double.doubleToLongBits(b) && !(Double.isNaN(a) && Double.isNaN(b))) {
                            return "the same row gives " + b + " at position " + p + " of " + rows + " and " + a + " at position " + row
                                    + " (value " + k + " of the row)";
                        }
                    }
                }
            }
            done += shifts;
        }
        return null;
    }

    /** Writes probe row k (k >= 0: the pseudo-random row drawn from seed k) into slot {@code slot} of {@code inputs}. */
    void writeProbe(int k, Object[] inputs, int slot) {
        reference.write(probe(k), inputs, slot);
    }

    /**
     * The outputs of probe rows [first, first + rows) evaluated by {@code e} (this network's evaluator or
     * another over the same signature) in calls of at most {@code call} rows, padded with the reference
     * row to e's fixed batch where it has one: row r's values at [r * rowElements ...].
     */
    double[] probeOutputs(RowEvaluator e, int first, int rows, int call) {
        int width = Math.toIntExact(signature.output().rowElements());
        int batch = e.batch() > 0 ? e.batch() : call;
        Object[] in = new Object[signature.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            int size = Math.toIntExact(batch * signature.inputs().get(i).rowElements());
            in[i] = signature.inputs().get(i).tokens() ? new int[size] : new float[size];
        }
        double[] all = new double[Math.toIntExact((long) rows * width)];
        double[] got = new double[batch * width];
        for (int done = 0; done < rows; ) {
            int count = Math.min(Math.min(call, batch), rows - done);
            int evaluated = e.batch() > 0 ? e.batch() : count;
            for (int r = 0; r < evaluated; r++) {
                if (r < count) writeProbe(first + done + r, in, r);
                else reference.write(REFERENCE, in, r);
            }
            e.evaluate(evaluated, in, got);
            System.arraycopy(got, 0, all, done * width, count * width);
            done += count;
        }
        return all;
    }

    /** The row id {@link Rows#write} gets for probe row k (k >= 0): a pseudo-random row drawn from seed k. */
    static int probe(int k) {
        return -2 - k;
    }

    /** The seed of probe row {@code row} (a row id below {@link #REFERENCE}). */
    static int probeSeed(int row) {
        return -2 - row;
    }

    // ---------------------------------------------------------------- running

    /**
     * Evaluates rows [0, rows): writes them with {@code rows} in evaluations of {@code chunk} rows
     * (padded with the reference row), or of at most max-rows rows when variable, and hands each
     * evaluation's outputs to {@code results}.
     */
    void run(int rows, Rows writer, Results results) {
        for (int start = 0; start < rows; ) {
            int count = Math.min(maxRows, rows - start);
            int padded = chunk > 0 && !evaluator.rowByRow() ? chunk : count; // the host plan evaluates only real rows
            try {
                ensure(padded);
                for (int r = 0; r < padded; r++) {
                    if (r < count) writer.write(start + r, inputs, r);
                    else reference.write(REFERENCE, inputs, r);
                }
                results.read(start, count, evaluateNow(padded));
                start += count;
            } catch (RowEvaluator.Failure | OutOfMemoryError e) {
                boolean oom = e instanceof OutOfMemoryError || ((RowEvaluator.Failure) e).outOfMemory();
                String m = e instanceof OutOfMemoryError ? "Java heap: " + e.getMessage() : e.getMessage();
                if (!oom) throw new OracleException(where + " failed on a batch of " + count + " rows: " + m);
                if (chunk > 0) {
                    // Halving a fixed chunk would change the outputs mid-run (they depend on the batch size): refuse instead.
                    throw new OracleException(where + " ran out of memory on a chunk of " + chunk + " rows (every evaluation has "
                            + chunk + " rows: the model's static batch or chunk=C; a smaller chunk=C needs less): " + m);
                }
                if (count == 1) throw new OracleException(where + " ran out of memory on a batch of 1 row: " + m);
                maxRows = Math.max(1, count / 2); // later launches start at the size that fitted
            }
        }
        forwardRows += rows;
    }

    private double[] evaluateNow(int rows) {
        int width = Math.toIntExact(signature.output().rowElements());
        if (out.length < rows * width) out = new double[rows * width];
        evaluator.evaluate(rows, inputs, out);
        return out;
    }

    /** Input buffers for {@code rows} rows. */
    private void ensure(int rows) {
        for (int i = 0; i < inputs.length; i++) {
            int need = Math.toIntExact(rows * signature.inputs().get(i).rowElements());
            if (inputs[i] instanceof int[] a && a.length < need) inputs[i] = new int[need];
            if (inputs[i] instanceof float[] a && a.length < need) inputs[i] = new float[need];
        }
    }

    /** {@return rows evaluated so far (padding not counted)} */
    long forwardRows() {
        return forwardRows;
    }

    void resetForwardRows() {
        forwardRows = 0;
    }

    /** {@return rows of every evaluation, 0 when variable} */
    int chunk() {
        return chunk;
    }

    /** {@return the most rows of one evaluation now (variable batches: lowered after running out of memory)} */
    int maxRows() {
        return maxRows;
    }

    int threads() {
        return threads;
    }

    /** {@return which evaluator runs the network, as reports print it} */
    String evaluatorName() {
        return evaluator.name();
    }

    /**
     * Bytes one evaluation holds on the Java heap: the input rows, the outputs (as doubles) and the
     * evaluator's own activations.
     */
    long bufferBytes() {
        long rows = chunk > 0 ? chunk : maxRows;
        long bytes = multiply(multiply(rows, signature.output().rowElements()), 8 + 4); // doubles here, floats from the evaluator
        for (RowEvaluator.Tensor t : signature.inputs()) bytes += multiply(multiply(rows, t.rowElements()), t.tokens() ? 4 + 8 : 4);
        return bytes + evaluator.workingBytes();
    }

    /** For tests: the evaluator, to wrap it. */
    RowEvaluator evaluator() {
        return evaluator;
    }

    /** For tests: replaces the evaluator (e.g. with one that runs out of memory); the old one stays open. */
    void evaluator(RowEvaluator e) {
        this.evaluator = e;
    }

    RowEvaluator.Signature signature() {
        return signature;
    }

    @Override
    public void close() {
        evaluator.close();
    }

    // ---------------------------------------------------------------- contract checks shared by the model classes

    static NodeInfo pick(String where, String what, Map<String, NodeInfo> nodes, String wanted) {
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

    static TensorInfo tensor(String where, String what, NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo t)) {
            throw new IllegalArgumentException(where + ": " + what + " '" + node.getName() + "' is not a tensor (" + node.getInfo() + ")");
        }
        return t;
    }

    /**
     * A dimension of the contract: the model's static size (checked against the option, when given),
     * else the option (required). A declared size of 0 is neither: refused.
     */
    static int dimension(String where, String name, long model, Integer option, String source, long limit) {
        if (model == 0) throw new IllegalArgumentException(where + ": " + source + " declares " + name + " = 0; " + name + " must be >= 1");
        if (model > 0) {
            if (option != null && option != model) {
                throw new IllegalArgumentException(where + ": " + name + " = " + option + " was asked for, but the model's " + source
                        + " has " + name + " = " + model);
            }
            if (model > limit) throw new IllegalArgumentException(where + ": " + name + " = " + model + " is too large (at most " + limit + ")");
            return (int) model;
        }
        if (option == null) {
            throw new IllegalArgumentException(where + ": " + name + " is dynamic in " + source + "; give " + name + "=" + name.toUpperCase(Locale.ROOT));
        }
        if (option < 1) throw new IllegalArgumentException(where + ": " + name + " must be >= 1, got " + option);
        if (option > limit) throw new IllegalArgumentException(where + ": " + name + "=" + option + " is too large (at most " + limit + ")");
        return option;
    }

    /** The batch dimension a static shape declares: > 0, or 0 when dynamic; a declared 0 is refused. */
    static long batchOf(String where, String what, long[] shape) {
        if (shape.length == 0) return 0;
        if (shape[0] == 0) throw new IllegalArgumentException(where + ": " + what + " declares batch 0 " + shape(shape) + "; the batch must be >= 1");
        return Math.max(0, shape[0]);
    }

    static String shape(long[] s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(s[i] < 0 ? "?" : Long.toString(s[i]));
        }
        return sb.append(']').toString();
    }
}
