package io.autospec.onnx;

import static io.autospec.onnx.BadInputTest.assertMentions;
import static io.autospec.onnx.BadInputTest.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options and declared shapes that no buffer can hold, files that are not models, ONNX Runtime's own
 * messages, and the evaluator choice: each a one-line error naming the option, size or file.
 */
class LoadErrorsTest {
    static final Path RES = BadInputTest.RES;
    static final Path DENOISERS = OnnxDenoiserTest.DIR;
    static final ModelProvider.Context CPU = new ModelProvider.Context(1, "cpu");

    static String ar(String spec) {
        return error(() -> ModelSpec.parse(spec).autoregressive(null, CPU));
    }

    static String diffusion(String spec) {
        return error(() -> ModelSpec.parse(spec).denoiser(CPU));
    }

    @Test
    void sizesThatOverflowABufferNameTheOptionAndTheSize() {
        assertMentions(ar("onnx:" + TinyModelTest.TINY + ",chunk=1000000000"), "chunk=1000000000", "12000000000", "n = 4 x q = 3");
        assertMentions(diffusion("onnx-denoiser:" + DENOISERS.resolve("dynamic-d.onnx") + ",d=2000000000"), "d=2000000000", "too large");
        assertMentions(ar("onnx:" + RES.resolve("dynamic.onnx") + ",n=500000000"), "n = 500000000", "chunk=16", "16000000000");
        assertMentions(ar("onnx:" + RES.resolve("dynamic.onnx") + ",n=2000000000"), "n=2000000000", "too large");
        assertMentions(ar("onnx:" + TinyModelTest.TINY + ",chunk=0,max-rows=2000000000"), "max-rows=2000000000", "24000000000");
        assertMentions(diffusion("onnx-denoiser:" + OnnxDenoiserTest.DIGITS + ",chunk=0,max-rows=2000000000"), "max-rows=2000000000",
                "128000000000");
    }

    @Test
    void declaredShapesOutsideTheContract() {
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("bad-batch-huge.onnx"), BadInputTest.ONE_THREAD)),
                "bad-batch-huge.onnx", "static batch 4294967297", "too large");
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("bad-n-zero.onnx"), BadInputTest.ONE_THREAD.withN(4))),
                "bad-n-zero.onnx", "n = 0", "n must be >= 1");
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("bad-output-rank2.onnx"), BadInputTest.ONE_THREAD)),
                "output 'logits' has shape [?, 4] (rank 2)", "[B, n, q]");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertMentions(ar("onnx:" + TinyModelTest.TINY + ",chunk=4,chunk=8"), "'chunk' given twice");
        assertMentions(diffusion("onnx-denoiser:" + OnnxDenoiserTest.DIGITS + ",d=64,d=64"), "'d' given twice");
        assertMentions(ar("onnx:" + TinyModelTest.TINY + ",evaluator=gpu"), "evaluator must be auto, onnxruntime, host or cuda", "'gpu'");
    }

    @Test
    void filesThatAreNotModelsSayWhatTheyAre(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        String m = error(() -> OnnxOracle.open(empty, BadInputTest.ONE_THREAD));
        assertMentions(m, "empty.onnx", "not a usable ONNX model");
        assertFalse(m.contains("\n"), m);
        assertFalse(m.matches("(?s).*\\.(cc|h|cpp):\\d+.*"), "a C++ source path in: " + m);
        assertFalse(m.contains("Error code -"), m);
        assertMentions(error(() -> OnnxOracle.open(dir, BadInputTest.ONE_THREAD)), "is a directory");
        assertMentions(error(() -> OnnxDenoiser.open(dir, OnnxDenoiser.Options.defaults())), "is a directory");
        assertMentions(error(() -> OnnxOracle.open(dir.resolve("nope.onnx"), BadInputTest.ONE_THREAD)), "not found", "nope.onnx");
        Path fifo = dir.resolve("pipe.onnx");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (p.waitFor() == 0) {
            String f = error(() -> OnnxOracle.open(fifo, BadInputTest.ONE_THREAD));
            assertMentions(f, "pipe.onnx", "device, FIFO or socket");
            assertFalse(f.contains("not found"), f);
        }
    }

    @Test
    void onnxRuntimeMessagesBecomeOneLine() {
        String raw = "Error code - ORT_RUNTIME_EXCEPTION - message: Non-zero status code returned while running Gemm node. Name:'/l/Gemm'"
                + " Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/math/gemm_helper.h:14 onnxruntime::GemmHelper::GemmHelper("
                + "const TensorShape&, bool, const TensorShape&, bool, const TensorShape&) left.NumDimensions() == 2 was false.\n"
                + "Stacktrace:\n#0 0x7f00 in foo";
        String one = OrtEvaluator.oneLine(new Exception(raw));
        assertFalse(one.contains("\n"), one);
        assertFalse(one.contains("gemm_helper.h"), one);
        assertFalse(one.contains("Error code"), one);
        assertMentions(one, "Gemm node", "Status Message: left.NumDimensions() == 2 was false");
        String load = OrtEvaluator.oneLine(new Exception("Error code - ORT_FAIL - message: Load model from /tmp/m.onnx failed:/onnxruntime_src/"
                + "onnxruntime/core/graph/model.cc:166 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&) ModelProto"
                + " does not have a graph.\n"));
        assertEquals("Load model from /tmp/m.onnx failed: ModelProto does not have a graph.", load);
    }

    /** Without a GPU (or a cuda executor) here: backend cuda is a usage error naming why; cpu and auto run ONNX Runtime. */
    @Test
    void theEvaluatorFollowsTheBackend() throws Exception {
        String tiny = "onnx:" + TinyModelTest.TINY;
        String cuda = error(() -> ModelSpec.parse(tiny).autoregressive(null, new ModelProvider.Context(1, "cuda")));
        assertMentions(cuda, "tiny.onnx", "cuda evaluator", "unavailable");
        assertMentions(error(() -> ModelSpec.parse(tiny + ",evaluator=cuda").autoregressive(null, CPU)), "evaluator=cuda", "backend cpu");
        assertMentions(error(() -> ModelSpec.parse(tiny + ",evaluator=onnxruntime").autoregressive(null, new ModelProvider.Context(1, "cuda"))),
                "evaluator=onnxruntime", "backend cuda");
        assertMentions(error(() -> ModelSpec.parse(tiny + ",evaluator=host,chunk=0").autoregressive(null, CPU)), "host evaluator",
                "chunk=0");
        for (String backend : new String[] {"cpu", "auto"}) {
            try (OnnxOracle o = (OnnxOracle) ModelSpec.parse(tiny).autoregressive(null, new ModelProvider.Context(1, backend))) {
                assertEquals("onnxruntime-cpu", o.evaluator());
            }
            try (OnnxDenoiser d = (OnnxDenoiser) ModelSpec.parse("onnx-denoiser:" + OnnxDenoiserTest.DIGITS)
                    .denoiser(new ModelProvider.Context(1, backend))) {
                assertEquals("onnxruntime-cpu", d.evaluator());
            }
        }
    }

    /**
     * A graph with an op no nn step implements: the host evaluator is refused in one line naming the op
     * and its node; auto (no GPU here) and onnxruntime still run it.
     */
    @Test
    void theHostEvaluatorIsRefusedClearlyWhenItCannotRun() {
        String spec = "onnx:" + BadInputTest.RES.resolve("unsupported-op.onnx");
        String m = error(() -> ModelSpec.parse(spec + ",evaluator=host").autoregressive(null, CPU));
        assertMentions(m, "unsupported-op.onnx", "host evaluator", "HardSwish", "hidden_hardswish");
        assertFalse(m.contains("\n"), m);
        try (OnnxOracle o = (OnnxOracle) ModelSpec.parse(spec).autoregressive(null, new ModelProvider.Context(1, "auto"))) {
            assertEquals("onnxruntime-cpu", o.evaluator());
        }
    }

    /** The host evaluator is a plan of nn's kernels, run in Java. */
    @Test
    void theHostEvaluatorRunsAutospecsOwnExecutor() {
        try (OnnxOracle o = (OnnxOracle) ModelSpec.parse("onnx:" + TinyModelTest.TINY + ",evaluator=host").autoregressive(null, CPU)) {
            assertEquals("host", o.evaluator());
        }
    }

    @Test
    void bufferBytesCountOneEvaluation() {
        try (OnnxOracle o = OnnxOracle.open(DigitsModelTest.DIGITS, BadInputTest.ONE_THREAD)) {
            // 16 rows x 64 x 2 logits (8 + 4 bytes) + 16 x 64 tokens (4 + 8 bytes)
            assertEquals(16L * 64 * 2 * 12 + 16L * 64 * 12, o.bufferBytes());
        }
        try (OnnxOracle o = OnnxOracle.open(DigitsModelTest.DIGITS, BadInputTest.ONE_THREAD.withChunk(0))) {
            assertTrue(o.bufferBytes() >= 1024L * 64 * 2 * 8, "variable batches of 1024 rows: " + o.bufferBytes());
        }
    }
}
