package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autospec inspect}: the shipped networks, a graph the executor cannot run, zoo models and bad input. */
class InspectCommandTest {
    static final Path MODELS = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "models");
    static final Path UNSUPPORTED = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "src", "test", "resources", "io",
            "autospec", "onnx", "unsupported-op.onnx");

    static SampleCommandTest.Run inspect(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "inspect";
        System.arraycopy(args, 0, all, 1, args.length);
        return SampleCommandTest.cli(all);
    }

    static JsonObject json(SampleCommandTest.Run r) {
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    /** The shipped networks: contract, graph, plan, and the host executor agreeing with ONNX Runtime within the tolerance. */
    @Test
    void shippedNetworks() {
        JsonObject digits = json(inspect("--model", "onnx:" + MODELS.resolve("digits.onnx"), "--threads", "2", "--backend", "cpu", "--json"));
        assertEquals(64, digits.get("n").getAsInt());
        assertEquals(2, digits.get("q").getAsInt());
        assertEquals(2, digits.get("mask id").getAsInt());
        assertTrue(digits.getAsJsonObject("graph").getAsJsonObject("ops").has("Gemm"), digits.toString());
        assertEquals("none", digits.getAsJsonObject("graph").get("external data").getAsString());
        JsonObject exec = digits.getAsJsonObject("autospec executor");
        assertTrue(exec.get("supported").getAsBoolean(), exec.toString());
        assertEquals(16, exec.getAsJsonObject("plan").get("batch").getAsInt());
        JsonObject check = digits.getAsJsonObject("check");
        assertEquals("host vs onnxruntime-cpu", check.get("evaluators").getAsString());
        assertTrue(check.get("max rel difference").getAsDouble() <= 1e-4, check.toString());
        assertEquals("agree", check.get("verdict").getAsString());

        JsonObject den = json(inspect("--model", "onnx-denoiser:" + MODELS.resolve("digits-denoiser.onnx"), "--rows", "4", "--threads", "2",
                "--backend", "cpu", "--json"));
        assertEquals(64, den.get("d").getAsInt());
        assertEquals(80.0, den.get("sigma_max").getAsDouble());
        assertEquals("agree", den.getAsJsonObject("check").get("verdict").getAsString(), den.toString());

        // The text model, as text: its vocabulary and metadata; two rows keep the host executor's share short.
        SampleCommandTest.Run text = inspect("--model", "onnx:" + MODELS.resolve("text.onnx"), "--rows", "2", "--threads", "2", "--backend", "cpu");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("vocabulary         \" !'(),-.:;?abcdefghijklmnopqrstuvwxyz\""), text.out());
        assertTrue(text.out().contains("autospec.vocabulary"), text.out());
        assertTrue(text.out().contains("n                  256"), text.out());
        assertTrue(text.out().contains("verdict"), text.out());
        assertTrue(text.out().contains("agree"), text.out());
        assertTrue(text.out().contains("gpu evaluator"), text.out());
    }

    @Test
    void anUnsupportedOpIsNamedWithItsNode() {
        SampleCommandTest.Run r = inspect("--model", "onnx:" + UNSUPPORTED, "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\n  supported +false\n.*"), r.out());
        assertTrue(r.out().contains("HardSwish (node 'hidden_hardswish')"), r.out());
        assertTrue(r.out().contains("not run: autospec's executor cannot run this graph"), r.out());
    }

    @Test
    void zooModels() {
        JsonObject markov = json(inspect("--model", "markov:q=2,stay=0.9", "--n", "10", "--json"));
        assertEquals(10, markov.get("n").getAsInt());
        assertEquals(2, markov.get("q").getAsInt());
        assertFalse(markov.get("determinantal").getAsBoolean());
        JsonObject noN = json(inspect("--model", "potts:q=5,stay=0.6", "--json"));
        assertTrue(noN.get("n").getAsString().contains("--n"), noN.toString());
        assertEquals(5, noN.get("q").getAsInt());
        JsonObject aztec = json(inspect("--model", "aztec:order=3", "--json"));
        assertTrue(aztec.get("determinantal").getAsBoolean(), aztec.toString());
        assertEquals(aztec.get("n").getAsInt() > 0, true);
        JsonObject box = json(inspect("--model", "box:d=16", "--json"));
        assertEquals(16, box.get("d").getAsInt());
        assertTrue(box.get("kind").getAsString().contains("diffusion"), box.toString());
    }

    /** Bad input: exit 2 and the error's first line naming the file or kind. */
    @Test
    void badInput(@TempDir Path dir) throws Exception {
        SampleCommandTest.Run missing = inspect("--model", "onnx:" + dir.resolve("none.onnx"));
        assertEquals(2, missing.code(), missing.err());
        String first = missing.err().lines().findFirst().orElse("");
        assertTrue(first.contains("not found") && first.contains("none.onnx"), missing.err());
        Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model\n");
        SampleCommandTest.Run notOnnx = inspect("--model", "onnx-denoiser:" + text);
        assertEquals(2, notOnnx.code(), notOnnx.err());
        assertTrue(notOnnx.err().lines().findFirst().orElse("").contains("notes.onnx"), notOnnx.err());
        SampleCommandTest.Run unknown = inspect("--model", "nosuch:x=1");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("unknown model 'nosuch'"), unknown.err());
        SampleCommandTest.Run rows = inspect("--model", "onnx:" + MODELS.resolve("digits.onnx"), "--rows", "-1");
        assertEquals(2, rows.code(), rows.err());
        assertTrue(rows.err().contains("--rows"), rows.err());
    }
}
