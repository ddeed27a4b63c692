package io.autospec.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.autospec.nn.OnnxWriter.ai;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad files and graphs fail with one clear message naming the file, node, op or value. */
class BadInputTest {
    static final int F = OnnxGraph.FLOAT, I64 = OnnxGraph.INT64;

    @TempDir
    Path dir;

    static void contains(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void unsupportedOpNamesOpAndNode() {
        Path f = new OnnxWriter().input("x", F, 2, 3).output("y", F, (long[]) null).node("Relu", "x", "r")
                .node("HardSwish", "r", "y").write(dir, "hs.onnx");
        OnnxGraph g = OnnxGraph.read(f);
        assertEquals(List.of(new OnnxGraph.Unsupported("HardSwish", "HardSwish_1", "no step implements it")), g.unsupported());
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> Planner.plan(g, Map.of("x", new long[] {2, 3})));
        assertEquals("HardSwish", e.op());
        assertEquals("HardSwish_1", e.node());
        contains(e, "HardSwish", "HardSwish_1");
        // an attribute no step implements
        Path gelu = new OnnxWriter().opset(20).input("x", F, 2).output("y", F, (long[]) null)
                .node("Gelu", "x", "y", OnnxWriter.as("approximate", "tanh")).write(dir, "gelu.onnx");
        contains(assertThrows(UnsupportedOpException.class, () -> Planner.plan(OnnxGraph.read(gelu), Map.of("x", new long[] {2}))),
                "Gelu", "tanh");
    }

    @Test
    void missingEmptyDirectoryTruncatedAndNotProtobuf() throws IOException {
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(dir.resolve("nope.onnx"))), "nope.onnx", "does not exist");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(dir)), dir.toString(), "directory");
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(empty)), "empty.onnx", "empty");
        byte[] full = Files.readAllBytes(ModelsTest.MODELS.resolve("digits.onnx"));
        for (int cut : new int[] {1, 100, full.length / 2, full.length - 3}) {
            Path t = Files.write(dir.resolve("cut" + cut + ".onnx"), Arrays.copyOf(full, cut));
            contains(assertThrows(NnException.class, () -> OnnxGraph.read(t)), "cut" + cut + ".onnx");
        }
        Path text = Files.writeString(dir.resolve("text.onnx"), "this is not a model\n");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(text)), "text.onnx");
    }

    @Test
    void externalData() throws IOException {
        float[] w = {1f, -2f, 3.5f, 0.25f, 8f, -1f};
        ByteBuffer b = ByteBuffer.allocate(16 + w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.position(16);
        for (float x : w) {
            b.putFloat(x);
        }
        Files.write(dir.resolve("weights.bin"), b.array());
        Path ok = new OnnxWriter().input("x", F, 2, 3).initExternal("w", new long[] {3, 2}, "weights.bin", 16, 24)
                .output("y", F, (long[]) null).node("MatMul", new String[] {"x", "w"}, new String[] {"y"}).write(dir, "ext.onnx");
        OnnxGraph g = OnnxGraph.read(ok);
        assertEquals(List.of(dir.resolve("weights.bin").toAbsolutePath().normalize()), g.externalFiles());
        assertTrue(Arrays.equals(w, g.initializers().get("w").floats()));
        float[] x = {1, 2, 3, 4, 5, 6};
        List<Ort.In> in = List.of(new Ort.In("x", x, new long[] {2, 3}));
        assertTrue(Arrays.equals(Ort.run(ok, in)[0], Ort.host(ok, in, 1)[0]));

        Files.createDirectories(dir.resolve("model"));
        Path escape = new OnnxWriter().input("x", F, 2, 3).initExternal("w", new long[] {3, 2}, "../weights.bin", 16, 24)
                .output("y", F, (long[]) null).node("MatMul", new String[] {"x", "w"}, new String[] {"y"}).write(dir.resolve("model"), "escape.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(escape)), "escape.onnx", "../weights.bin", "outside");
        Path absolute = new OnnxWriter().initExternal("w", new long[] {3, 2}, dir.resolve("weights.bin").toString(), 16, 24)
                .write(dir.resolve("model"), "absolute.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(absolute)), "absolute.onnx", "outside");
        Path past = new OnnxWriter().initExternal("w", new long[] {3, 2}, "weights.bin", 32, 24).write(dir, "past.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(past)), "past.onnx", "past the end");
    }

    @Test
    void dimensionsThatOverflow() {
        Path big = new OnnxWriter().input("x", F, 3_000_000_000L, 2).output("y", F, (long[]) null).node("Relu", "x", "y").write(dir, "big.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(big)), "big.onnx", "3000000000");
        Path bigInit = new OnnxWriter().initInts("w", I64, new long[] {1L << 40}).write(dir, "bigInit.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(bigInit)), "bigInit.onnx", "1099511627776");
        Path product = new OnnxWriter().initInts("w", I64, new long[] {1L << 20, 1L << 20}).write(dir, "product.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(product)), "product.onnx", "'w'");
        Path negative = new OnnxWriter().initInts("w", I64, new long[] {-2}).write(dir, "negative.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(negative)), "negative.onnx", "-2");
        // shapes given at plan time that overflow an array
        Path relu = new OnnxWriter().input("x", F, -1, -1).output("y", F, (long[]) null).node("Relu", "x", "y").write(dir, "relu.onnx");
        contains(assertThrows(NnException.class, () -> Planner.plan(OnnxGraph.read(relu), Map.of("x", new long[] {1L << 20, 1L << 20}))),
                "relu.onnx", "elements");
    }

    @Test
    void typesAndShapesAtPlanTime() {
        Path string = new OnnxWriter().initInts("s", OnnxGraph.STRING, new long[] {1}, 0).write(dir, "string.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(string)), "string.onnx", "string");
        Path unknown = new OnnxWriter().initInts("s", 99, new long[] {1}, 0).write(dir, "unknown.onnx");
        contains(assertThrows(NnException.class, () -> OnnxGraph.read(unknown)), "unknown.onnx", "type 99");
        Path dbl = new OnnxWriter().input("x", OnnxGraph.DOUBLE, 2).output("y", F, (long[]) null).node("Cast", "x", "y", ai("to", F)).write(dir, "double.onnx");
        contains(assertThrows(NnException.class, () -> Planner.plan(OnnxGraph.read(dbl), Map.of("x", new long[] {2}))), "double.onnx", "float64");
        Path relu = new OnnxWriter().input("x", F, -1, 3).output("y", F, (long[]) null).node("Relu", "x", "y").write(dir, "relu.onnx");
        OnnxGraph g = OnnxGraph.read(relu);
        contains(assertThrows(NnException.class, () -> Planner.plan(g, Map.of())), "relu.onnx", "no shape given for input x");
        contains(assertThrows(NnException.class, () -> Planner.plan(g, Map.of("x", new long[] {2, 4}))), "cannot have shape [2, 4]");
        contains(assertThrows(NnException.class, () -> Planner.plan(g, Map.of("x", new long[] {2, 3}, "z", new long[] {1}))), "z");
        // an int64 constant beyond int32 that would have to live in a run-time slot
        Path wide = new OnnxWriter().input("x", F, 2).initInts("i", I64, new long[] {1}, 1L << 33).output("y", F, (long[]) null)
                .node("Cast", "i", "ci", ai("to", I64)).node("Cast", "x", "xi", ai("to", I64))
                .node("Add", new String[] {"xi", "ci"}, new String[] {"s"}).node("Cast", "s", "y", ai("to", F)).write(dir, "wide.onnx");
        contains(assertThrows(NnException.class, () -> Planner.plan(OnnxGraph.read(wide), Map.of("x", new long[] {2}))), "wide.onnx", "8589934592", "int32");
        // wrong inputs to a run
        Plan p = Planner.plan(g, Map.of("x", new long[] {2, 3}));
        try (HostExecutor h = new HostExecutor(p, 1)) {
            contains(assertThrows(NnException.class, () -> h.run(new Object[] {new float[5]}, new float[][] {new float[6]})), "input x", "6");
            contains(assertThrows(NnException.class, () -> h.run(new Object[] {new int[6]}, new float[][] {new float[6]})), "input x", "float[]");
        }
        // out-of-range token ids are refused before a run
        Path emb = new OnnxWriter().input("t", I64, -1, 2).init("e", new long[] {3, 2}, new float[6]).output("y", F, (long[]) null)
                .node("Gather", new String[] {"e", "t"}, new String[] {"y"}).write(dir, "emb.onnx");
        Plan pe = Planner.plan(OnnxGraph.read(emb), Map.of("t", new long[] {1, 2}));
        try (HostExecutor h = new HostExecutor(pe, 1)) {
            contains(assertThrows(NnException.class, () -> h.run(new Object[] {new int[] {0, 3}}, new float[][] {new float[4]})), "input t", "index 3");
        }
    }
}
