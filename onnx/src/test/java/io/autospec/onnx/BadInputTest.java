package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ArTesting;
import io.autospec.ar.ConditionalOracle;
import io.autospec.core.OracleException;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models that break the contract, bad options and failing runs: clear errors naming what differs. */
class BadInputTest {
    static final Path RES = TinyModelTest.TINY.getParent();
    static final OnnxOracle.Options ONE_THREAD = OnnxOracle.Options.defaults().withThreads(1);

    static String error(Supplier<?> open) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            Object o = open.get();
            if (o instanceof AutoCloseable c) c.close();
        });
        return e.getMessage();
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + message + "' does not mention '" + p + "'");
    }

    @Test
    void missingFile() {
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("nope.onnx"), ONE_THREAD)), "not found", "nope.onnx");
    }

    @Test
    void notAnOnnxModel(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("model.onnx"), "0,1,1\n1,0,2\n");
        assertMentions(error(() -> OnnxOracle.open(f, ONE_THREAD)), "model.onnx", "not a usable ONNX model");
    }

    @Test
    void wrongInputType() {
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("bad-float-input.onnx"), ONE_THREAD)),
                "bad-float-input.onnx", "input 'tokens'", "FLOAT", "int64");
    }

    @Test
    void wrongInputRank() {
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("bad-rank.onnx"), ONE_THREAD)), "input 'tokens'", "rank 1", "[B, n]");
    }

    @Test
    void outputNDiffersFromInputN() {
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("bad-output-n.onnx"), ONE_THREAD)), "output 'logits' has n = 4",
                "input 'tokens' has n = 3");
    }

    @Test
    void nAndQMustMatchTheModel() {
        assertMentions(error(() -> OnnxOracle.open(TinyModelTest.TINY, ONE_THREAD.withN(5))), "n = 5 was asked for", "has n = 4");
        assertMentions(error(() -> OnnxOracle.open(TinyModelTest.TINY, ONE_THREAD.withQ(2))), "q = 2 was asked for", "has q = 3");
        assertMentions(error(() -> OnnxOracle.open(TinyModelTest.TINY, ONE_THREAD.withMask(1L))), "mask id 1 is a value");
        assertMentions(error(() -> OnnxOracle.open(TinyModelTest.TINY, ONE_THREAD.withInput("x"))), "no input 'x'", "[tokens]");
        assertMentions(error(() -> OnnxOracle.open(TinyModelTest.TINY, ONE_THREAD.withOutput("y"))), "no output 'y'", "[logits]");
    }

    @Test
    void dynamicNNeedsAnOption() {
        assertMentions(error(() -> OnnxOracle.open(RES.resolve("dynamic.onnx"), ONE_THREAD)), "n is dynamic", "n=N");
        try (OnnxOracle o = OnnxOracle.open(RES.resolve("dynamic.onnx"), ONE_THREAD.withN(6))) {
            assertEquals(6, o.length());
            assertEquals(2, o.alphabet());
            RunResult<int[]> r = ArTesting.run(o, Autospec.speculative(), 1, 20);
            assertEquals(20, r.samples().size());
        }
    }

    @Test
    void nonFiniteLogitsNameSamplePositionAndPinnedCount() {
        try (OnnxOracle o = OnnxOracle.open(RES.resolve("bad-nan.onnx"), ONE_THREAD)) {
            OracleException e = assertThrows(OracleException.class, () -> ArTesting.run(o, Autospec.sequential(), 1, 3));
            assertMentions(e.getMessage(), "non-finite logit", "sample ", "position 1", " pinned");
        }
    }

    /** A run that runs out of memory is split and retried: same samples as an unhindered run. */
    @Test
    void outOfMemoryIsSplitAndRetried() throws Exception {
        List<int[]> expected;
        OnnxOracle.Options variable = ONE_THREAD.withChunk(0); // halving applies to variable batches only
        try (OnnxOracle o = OnnxOracle.open(TinyModelTest.TINY, variable)) {
            expected = ArTesting.run(o, Autospec.speculative(), 9, 40).samples();
        }
        try (OnnxOracle o = OnnxOracle.open(TinyModelTest.TINY, variable)) {
            HookedEvaluator.install(o.network(), (real, rows, in, out) -> {
                if (rows > 7) throw new RowEvaluator.Failure("Failed to allocate memory for requested buffer", true);
                real.evaluate(rows, in, out);
            });
            List<int[]> got = ArTesting.run(o, Autospec.speculative(), 9, 40).samples();
            for (int s = 0; s < expected.size(); s++) assertArrayEquals(expected.get(s), got.get(s), "sample " + s);
            assertTrue(o.maxRowsPerRun() <= 7, "max rows now " + o.maxRowsPerRun());
        }
        // Fixed chunks (the default) are not halved: that would change the logits mid-run.
        try (OnnxOracle o = OnnxOracle.open(TinyModelTest.TINY, ONE_THREAD)) {
            HookedEvaluator.install(o.network(), (real, rows, in, out) -> {
                if (rows > 7) throw new RowEvaluator.Failure("Failed to allocate memory for requested buffer", true);
                real.evaluate(rows, in, out);
            });
            OracleException e = assertThrows(OracleException.class, () -> ArTesting.run(o, Autospec.sequential(), 1, 5));
            assertMentions(e.getMessage(), "tiny.onnx", "ran out of memory", "chunk=C");
        }
        try (OnnxOracle o = OnnxOracle.open(TinyModelTest.TINY, variable)) {
            HookedEvaluator.install(o.network(), (real, rows, in, out) -> {
                throw new RowEvaluator.Failure("Failed to allocate memory", true);
            });
            OracleException e = assertThrows(OracleException.class, () -> ArTesting.run(o, Autospec.sequential(), 1, 5));
            assertMentions(e.getMessage(), "tiny.onnx", "ran out of memory on a batch of 1 row");
        }
    }

    /** The model spec finds onnx through the provider hook; bad keys are named. */
    @Test
    void modelSpecFindsTheProvider() throws Exception {
        assertTrue(ModelSpec.kinds().contains("onnx"));
        ModelSpec ms = ModelSpec.parse("onnx:" + TinyModelTest.TINY + ",mask=3");
        ConditionalOracle o = ms.autoregressive(null, new ModelProvider.Context(1, "cpu"));
        try {
            assertEquals(4, o.length());
            assertEquals(3, o.alphabet());
        } finally {
            ((AutoCloseable) o).close();
        }
        assertMentions(error(() -> ModelSpec.parse("onnx:" + TinyModelTest.TINY + ",colour=red").autoregressive(null)), "no parameter 'colour'");
        assertMentions(error(() -> ModelSpec.parse("onnx:" + TinyModelTest.TINY).autoregressive(7)), "n = 7 was asked for");
    }
}
