package io.autospec.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.autospec.nn.OnnxWriter.af;
import static io.autospec.nn.OnnxWriter.ai;
import static io.autospec.nn.OnnxWriter.as;
import static io.autospec.nn.OnnxWriter.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every supported op, on small graphs, against ONNX Runtime: broadcasting, axes, attributes, opsets. */
class OpsTest {
    /** Single ops differ from ONNX Runtime only by rounding: |diff| <= TOL * max(1, |ref|). */
    static final double TOL = 2e-6;
    static final int F = OnnxGraph.FLOAT, I64 = OnnxGraph.INT64;

    @TempDir
    static Path dir;
    static int files;
    final Random random = new Random(17);

    static long n(long... shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    float[] gauss(long... shape) {
        float[] x = new float[(int) n(shape)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    float[] positive(long... shape) {
        float[] x = gauss(shape);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.abs(x[i]) + 0.25f;
        }
        return x;
    }

    Ort.In in(String name, long... shape) {
        return new Ort.In(name, gauss(shape), shape);
    }

    /** Runs the model on both and compares every output; returns our outputs. */
    static float[][] check(OnnxWriter w, Ort.In... inputs) {
        return check(w, TOL, inputs);
    }

    static float[][] check(OnnxWriter w, double tol, Ort.In... inputs) {
        Path file = w.write(dir, "op" + (files++) + ".onnx");
        float[][] ref = Ort.run(file, List.of(inputs));
        float[][] ours = Ort.host(file, List.of(inputs), 2);
        assertEquals(ref.length, ours.length);
        for (int k = 0; k < ref.length; k++) {
            double[] d = Ort.diff(ours[k], ref[k]);
            assertTrue(d[1] <= tol, file + " output " + k + ": relative difference " + d[1] + " (abs " + d[0] + ")");
        }
        return ours;
    }

    /** out = op(a, b) for a graph input a and a graph input or constant b. */
    void binaryCase(String op, long[] sa, long[] sb, boolean bConst, boolean pos) {
        OnnxWriter w = new OnnxWriter().input("a", F, sa).output("y", F, (long[]) null);
        List<Ort.In> ins = new ArrayList<>();
        ins.add(new Ort.In("a", pos ? positive(sa) : gauss(sa), sa));
        float[] b = op.equals("Div") || op.equals("Pow") ? positive(sb) : gauss(sb);
        if (bConst) {
            w.init("b", sb, b);
        } else {
            w.input("b", F, sb);
            ins.add(new Ort.In("b", b, sb));
        }
        w.node(op, new String[] {"a", "b"}, new String[] {"y"});
        check(w, ins.toArray(new Ort.In[0]));
    }

    @Test
    void binaryOpsBroadcast() {
        long[][][] pairs = {
                {{2, 3, 4}, {}}, // scalar
                {{2, 3, 4}, {4}}, // row
                {{2, 3, 4}, {3, 1}}, // column
                {{2, 3, 4}, {1, 3, 1}}, // middle axis
                {{2, 4, 5, 5}, {2, 1, 1, 5}}, // attention-style mask
                {{3, 1}, {1, 4}}, // both broadcast
                {{1, 3, 4}, {2, 3, 4}}, // first operand broadcast
        };
        for (String op : new String[] {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min"}) {
            for (long[][] p : pairs) {
                binaryCase(op, p[0], p[1], false, op.equals("Pow"));
                binaryCase(op, p[0], p[1], true, op.equals("Pow"));
            }
        }
    }

    @Test
    void unaryOps() {
        String[] ops = {"Sqrt", "Reciprocal", "Erf", "Sigmoid", "Sin", "Cos", "Log", "Exp", "Tanh", "Relu", "Neg", "Abs", "Identity"};
        for (String op : ops) {
            long[] s = {3, 5, 7};
            boolean pos = op.equals("Sqrt") || op.equals("Log");
            check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null).node(op, "x", "y"),
                    new Ort.In("x", pos ? positive(s) : gauss(s), s));
        }
        long[] s = {4, 9};
        check(new OnnxWriter().opset(20).input("x", F, s).output("y", F, (long[]) null).node("Gelu", "x", "y"), in("x", s));
    }

    @Test
    void matMulShapes() {
        long[][][] cases = {
                {{2, 3, 4}, {4, 5}}, {{4}, {4, 5}}, {{3, 4}, {4}}, {{2, 1, 3, 4}, {1, 5, 4, 6}},
                {{2, 4, 3, 8}, {2, 4, 8, 3}}, {{3, 4}, {2, 4, 5}}, {{1, 3, 4}, {4, 2}},
        };
        for (long[][] c : cases) {
            for (boolean bConst : new boolean[] {false, true}) {
                OnnxWriter w = new OnnxWriter().input("a", F, c[0]).output("y", F, (long[]) null);
                List<Ort.In> ins = new ArrayList<>(List.of(in("a", c[0])));
                if (bConst) {
                    w.init("b", c[1], gauss(c[1]));
                } else {
                    w.input("b", F, c[1]);
                    ins.add(in("b", c[1]));
                }
                check(w.node("MatMul", new String[] {"a", "b"}, new String[] {"y"}), ins.toArray(new Ort.In[0]));
            }
        }
    }

    @Test
    void gemmAttributes() {
        long m = 3, k = 5, n = 4;
        long[][] biases = {{n}, {1, n}, {m, n}, {m, 1}, {}};
        for (int transA = 0; transA < 2; transA++) {
            for (int transB = 0; transB < 2; transB++) {
                for (float[] ab : new float[][] {{1f, 1f}, {0.5f, 2f}, {-1.5f, 1f}}) {
                    for (long[] bias : biases) {
                        for (boolean bConst : new boolean[] {true, false}) {
                            long[] sa = transA == 1 ? new long[] {k, m} : new long[] {m, k};
                            long[] sb = transB == 1 ? new long[] {n, k} : new long[] {k, n};
                            OnnxWriter w = new OnnxWriter().input("a", F, sa).output("y", F, (long[]) null).init("c", bias, gauss(bias));
                            List<Ort.In> ins = new ArrayList<>(List.of(in("a", sa)));
                            if (bConst) {
                                w.init("b", sb, gauss(sb));
                            } else {
                                w.input("b", F, sb);
                                ins.add(in("b", sb));
                            }
                            w.node("Gemm", new String[] {"a", "b", "c"}, new String[] {"y"}, ai("transA", transA), ai("transB", transB),
                                    af("alpha", ab[0]), af("beta", ab[1]));
                            check(w, ins.toArray(new Ort.In[0]));
                        }
                    }
                }
            }
        }
        long[] s = {2, 3};
        check(new OnnxWriter().input("a", F, s).init("b", new long[] {3, 4}, gauss(3, 4)).output("y", F, (long[]) null)
                .node("Gemm", new String[] {"a", "b"}, new String[] {"y"}), in("a", s));
    }

    @Test
    void softmaxAxes() {
        long[] s = {2, 3, 4, 5};
        for (int axis : new int[] {-1, 3, 1, 0, -3}) {
            check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null).node("Softmax", "x", "y", ai("axis", axis)), in("x", s));
        }
        // opset 11: softmax over the flattened block from axis on
        check(new OnnxWriter().opset(11).input("x", F, s).output("y", F, (long[]) null).node("Softmax", "x", "y", ai("axis", 2)), in("x", s));
        check(new OnnxWriter().opset(11).input("x", F, s).output("y", F, (long[]) null).node("Softmax", "x", "y"), in("x", s));
    }

    @Test
    void reductions() {
        long[] s = {2, 3, 4, 5};
        long[][] axesSets = {{-1}, {1}, {0, 2}, {1, 2}, {3, 0}, {}};
        for (long[] axes : axesSets) {
            for (int keep = 0; keep < 2; keep++) {
                // ReduceMean: axes attribute up to opset 17, input from 18; ReduceSum: input from 13
                OnnxWriter w13 = new OnnxWriter().opset(13).input("x", F, s).output("y", F, (long[]) null).output("z", F, (long[]) null);
                w13.node("ReduceMean", "x", "y", axes.length == 0 ? new OnnxWriter.Attr[] {ai("keepdims", keep)} : new OnnxWriter.Attr[] {ints("axes", axes), ai("keepdims", keep)});
                if (axes.length > 0) {
                    w13.initInts("axes", I64, new long[] {axes.length}, axes);
                    w13.node("ReduceSum", new String[] {"x", "axes"}, new String[] {"z"}, ai("keepdims", keep));
                } else {
                    w13.node("ReduceSum", new String[] {"x"}, new String[] {"z"}, ai("keepdims", keep));
                }
                check(w13, 5e-6, in("x", s));
                OnnxWriter w18 = new OnnxWriter().opset(18).input("x", F, s).output("y", F, (long[]) null);
                if (axes.length > 0) {
                    w18.initInts("axes", I64, new long[] {axes.length}, axes).node("ReduceMean", new String[] {"x", "axes"}, new String[] {"y"}, ai("keepdims", keep));
                } else {
                    w18.node("ReduceMean", new String[] {"x"}, new String[] {"y"}, ai("keepdims", keep));
                }
                check(w18, 5e-6, in("x", s));
            }
        }
        check(new OnnxWriter().opset(11).input("x", F, s).output("y", F, (long[]) null).node("ReduceSum", "x", "y", ints("axes", 1, 3)), 5e-6, in("x", s));
    }

    @Test
    void layerNormalization() {
        long[] s = {2, 3, 8};
        for (int axis : new int[] {-1, 1}) {
            long[] ws = axis == -1 ? new long[] {8} : new long[] {3, 8};
            check(new OnnxWriter().opset(17).input("x", F, s).init("w", ws, gauss(ws)).init("b", ws, gauss(ws)).output("y", F, (long[]) null)
                    .node("LayerNormalization", new String[] {"x", "w", "b"}, new String[] {"y"}, ai("axis", axis), af("epsilon", 1e-3f)), 1e-5, in("x", s));
        }
        check(new OnnxWriter().opset(17).input("x", F, s).init("w", new long[] {8}, gauss(8)).output("y", F, (long[]) null)
                .node("LayerNormalization", new String[] {"x", "w"}, new String[] {"y"}), 1e-5, in("x", s));
    }

    @Test
    void shapeOps() {
        long[] s = {2, 3, 4};
        // Reshape with 0 and -1, from a constant and from Shape arithmetic
        check(new OnnxWriter().input("x", F, s).initInts("shape", I64, new long[] {3}, 0, -1, 2).output("y", F, (long[]) null)
                .node("Reshape", new String[] {"x", "shape"}, new String[] {"y"}), in("x", s));
        check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                .initInts("i0", I64, new long[] {}, 0).initInts("two", I64, new long[] {1}, 2).initInts("m1", I64, new long[] {1}, -1)
                .node("Shape", "x", "sh").node("Gather", new String[] {"sh", "i0"}, new String[] {"b"}, ai("axis", 0))
                .node("Unsqueeze", new String[] {"b", "i0"}, new String[] {"b1"})
                .node("Div", new String[] {"m1", "m1"}, new String[] {"one"})
                .node("Mul", new String[] {"b1", "two"}, new String[] {"b2"})
                .node("Concat", new String[] {"b2", "m1"}, new String[] {"shape"}, ai("axis", 0))
                .node("Reshape", new String[] {"x", "shape"}, new String[] {"y"}), in("x", s));
        // Transpose, Flatten, Unsqueeze/Squeeze as attributes (opset 11) and inputs (13)
        check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null).node("Transpose", "x", "y", ints("perm", 2, 0, 1)), in("x", s));
        check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null).node("Transpose", "x", "y"), in("x", s));
        check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null).node("Flatten", "x", "y", ai("axis", 2)), in("x", s));
        check(new OnnxWriter().opset(11).input("x", F, s).output("y", F, (long[]) null)
                .node("Unsqueeze", "x", "u", ints("axes", 0, -1)).node("Squeeze", "u", "v", ints("axes", 0))
                .node("Transpose", "v", "y", ints("perm", 3, 2, 1, 0)), in("x", s));
        check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null).initInts("ax", I64, new long[] {2}, 1, -1)
                .initInts("ax0", I64, new long[] {1}, 1)
                .node("Unsqueeze", new String[] {"x", "ax"}, new String[] {"u"}).node("Squeeze", new String[] {"u", "ax0"}, new String[] {"v"})
                .node("Squeeze", new String[] {"v"}, new String[] {"y"}), in("x", s));
        // Expand
        check(new OnnxWriter().input("x", F, 3, 1).output("y", F, (long[]) null).initInts("shape", I64, new long[] {3}, 2, 1, 4)
                .node("Expand", new String[] {"x", "shape"}, new String[] {"y"}), in("x", 3, 1));
    }

    @Test
    void concatAxes() {
        for (int axis : new int[] {0, 1, 2, -1, -3}) {
            long[] sa = {2, 3, 4};
            long[] sb = sa.clone();
            int ax = axis < 0 ? axis + 3 : axis;
            sb[ax] = 2;
            check(new OnnxWriter().input("a", F, sa).input("b", F, sb).init("c", sa, gauss(sa)).output("y", F, (long[]) null)
                    .node("Concat", new String[] {"a", "b", "c"}, new String[] {"y"}, ai("axis", axis)), in("a", sa), in("b", sb));
        }
    }

    @Test
    void sliceStepsAndClamping() {
        long[] s = {5, 6, 7};
        long[][][] cases = { // starts, ends, axes, steps
                {{1}, {4}, {0}, {1}}, {{-3}, {Long.MAX_VALUE}, {-1}, {1}}, {{0, 1}, {5, 6}, {1, 2}, {2, 3}},
                {{4}, {0}, {0}, {-1}}, {{-1}, {Long.MIN_VALUE}, {2}, {-2}}, {{10}, {20}, {1}, {1}}, {{-100}, {100}, {0}, {2}},
                {{1, 2, 3}, {-1, -2, -3}, {0, 1, 2}, {1, 1, 1}},
        };
        for (long[][] c : cases) {
            check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                    .initInts("st", I64, new long[] {c[0].length}, c[0]).initInts("en", I64, new long[] {c[1].length}, c[1])
                    .initInts("ax", I64, new long[] {c[2].length}, c[2]).initInts("sp", I64, new long[] {c[3].length}, c[3])
                    .node("Slice", new String[] {"x", "st", "en", "ax", "sp"}, new String[] {"y"}), in("x", s));
        }
        check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                .initInts("st", I64, new long[] {1}, 1).initInts("en", I64, new long[] {1}, 3)
                .node("Slice", new String[] {"x", "st", "en"}, new String[] {"y"}), in("x", s));
    }

    @Test
    void gatherCastWhereAndComparisons() {
        long[] s = {5, 6};
        // run-time int64 indices, axis 0 (embedding) and axis 1 with constant negative indices
        long[] idx = {4, 0, 2, 2, -1, 3};
        check(new OnnxWriter().input("t", I64, 2, 3).init("emb", s, gauss(s)).output("y", F, (long[]) null)
                .node("Gather", new String[] {"emb", "t"}, new String[] {"y"}), new Ort.In("t", idx, new long[] {2, 3}));
        check(new OnnxWriter().input("x", F, s).initInts("i", I64, new long[] {2, 2}, 0, -1, 5, 2).output("y", F, (long[]) null)
                .node("Gather", new String[] {"x", "i"}, new String[] {"y"}, ai("axis", 1)), in("x", s));
        check(new OnnxWriter().input("x", F, s).initInts("i", I64, new long[] {}, -2).output("y", F, (long[]) null)
                .node("Gather", new String[] {"x", "i"}, new String[] {"y"}, ai("axis", 0)), in("x", s));
        // Cast int -> float, float -> int64 (truncation) -> float, and a run-time index sum
        float[] xf = gauss(s);
        for (int i = 0; i < xf.length; i++) {
            xf[i] *= 4;
        }
        check(new OnnxWriter().input("x", F, s).input("t", I64, 2, 3).output("y", F, (long[]) null).output("z", F, (long[]) null)
                .initInts("off", I64, new long[] {3}, 0, 1, 1)
                .node("Cast", "x", "xi", ai("to", I64)).node("Cast", "xi", "y", ai("to", F))
                .node("Add", new String[] {"t", "off"}, new String[] {"t2"}).node("Cast", "t2", "z", ai("to", F)),
                new Ort.In("x", xf, s), new Ort.In("t", idx, new long[] {2, 3}));
        // Where with a mask made of constant comparisons, Equal/Less/Greater
        for (String cmp : new String[] {"Equal", "Less", "Greater"}) {
            check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                    .initInts("p", I64, new long[] {6}, 0, 1, 2, 3, 4, 5).initInts("q", I64, new long[] {5, 1}, 0, 1, 2, 3, 4)
                    .init("fill", new long[] {}, new float[] {-1e9f})
                    .node(cmp, new String[] {"p", "q"}, new String[] {"mask"})
                    .node("Where", new String[] {"mask", "x", "fill"}, new String[] {"y"}), in("x", s));
        }
        check(new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                .init("p", new long[] {6}, gauss(6)).init("z", new long[] {}, new float[] {0f})
                .node("Greater", new String[] {"p", "z"}, new String[] {"mask"})
                .node("Where", new String[] {"mask", "z", "x"}, new String[] {"y"}), in("x", s));
    }

    @Test
    void generatedConstantsFloat64AndDropout() {
        long[] s = {2, 5};
        // ConstantOfShape and Range from the input's shape; Dropout passes through at inference
        OnnxWriter w = new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                .initInts("zero", I64, new long[] {}, 0).initInts("one", I64, new long[] {}, 1).initInts("i1", I64, new long[] {1}, 1)
                .node("Shape", "x", "sh").node("ConstantOfShape", new String[] {"sh"}, new String[] {"c"},
                        OnnxWriter.at("value", F, new long[] {1}, new float[] {0.75f}, null))
                .node("Gather", new String[] {"sh", "i1"}, new String[] {"n1"}, ai("axis", 0))
                .node("Squeeze", new String[] {"n1"}, new String[] {"n"})
                .node("Range", new String[] {"zero", "n", "one"}, new String[] {"r"}).node("Cast", "r", "rf", ai("to", F))
                .node("Add", new String[] {"x", "c"}, new String[] {"xc"}).node("Add", new String[] {"xc", "rf"}, new String[] {"xr"})
                .node("Dropout", "xr", "y");
        check(w, in("x", s));
        // float64 constants are fine where a Cast brings them to float32 (or to int64)
        w = new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                .node("Constant", new String[] {}, new String[] {"d"}, OnnxWriter.atDoubles("value", new long[] {5}, 0.1, -2.5, 1e-3, 3.25, 1e10))
                .node("Cast", "d", "df", ai("to", F)).node("Mul", new String[] {"x", "df"}, new String[] {"y"});
        check(w, in("x", s));
        w = new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                .init("k", new long[] {5}, gauss(5)).node("Cast", "k", "kd", ai("to", OnnxGraph.DOUBLE))
                .node("Cast", "kd", "kf", ai("to", F)).node("Sub", new String[] {"x", "kf"}, new String[] {"y"});
        check(w, in("x", s));
        // a float64 tensor at run time is refused by name
        Path bad = new OnnxWriter().input("x", F, s).output("y", F, (long[]) null).init("k", new long[] {5}, gauss(5))
                .node("Cast", "k", "kd", ai("to", OnnxGraph.DOUBLE)).node("Cast", "x", "xf", ai("to", F))
                .node("Relu", "kd", "y").write(dir, "f64.onnx");
        NnException e = org.junit.jupiter.api.Assertions.assertThrows(NnException.class,
                () -> Planner.plan(OnnxGraph.read(bad), java.util.Map.of("x", s)));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("kd"), e.getMessage());
    }

    @Test
    void constantsAreFolded() {
        long[] s = {2, 3};
        OnnxWriter w = new OnnxWriter().input("x", F, s).output("y", F, (long[]) null)
                .node("Constant", new String[] {}, new String[] {"c"}, OnnxWriter.at("value", F, new long[] {3}, new float[] {1f, 4f, 9f}, null))
                .node("Sqrt", "c", "r").node("Exp", "r", "e")
                .node("Constant", new String[] {}, new String[] {"k"}, af("value_float", 0.5f))
                .node("Mul", new String[] {"e", "k"}, new String[] {"ek"})
                .node("Add", new String[] {"x", "ek"}, new String[] {"y"});
        check(w, in("x", s));
        Plan p = Planner.plan(OnnxGraph.read(w.write(dir, "folded.onnx")), java.util.Map.of("x", s));
        assertEquals(1, p.steps().size(), "only the Add runs: " + p.steps());
        // the folded constant is what the executor computes: sqrt then exp with FloatMath, then * 0.5f
        Step.Binary add = (Step.Binary) p.steps().get(0);
        float[] folded = p.slots().get(add.b()).floats();
        float[] in = {1f, 4f, 9f};
        for (int i = 0; i < 3; i++) {
            assertEquals(Float.floatToIntBits(FloatMath.exp(FloatMath.sqrt(in[i])) * 0.5f), Float.floatToIntBits(folded[i]));
        }
    }

    /** One small network in several opsets (the axes of Unsqueeze/Squeeze/Reduce* moving from attributes to inputs). */
    @Test
    void opsets11To20() {
        long[] s = {2, 3, 4};
        for (int opset : new int[] {11, 12, 13, 14, 15, 16, 17, 18, 19, 20}) {
            OnnxWriter w = new OnnxWriter().opset(opset).input("x", F, s).output("y", F, (long[]) null)
                    .initInts("ax", I64, new long[] {1}, -1).initInts("ax0", I64, new long[] {1}, 0)
                    .init("w", new long[] {4, 4}, gauss(4, 4));
            if (opset >= 18) {
                w.node("ReduceMean", new String[] {"x", "ax"}, new String[] {"m"});
            } else {
                w.node("ReduceMean", "x", "m", ints("axes", -1));
            }
            w.node("Sub", new String[] {"x", "m"}, new String[] {"d"}).node("MatMul", new String[] {"d", "w"}, new String[] {"h"});
            if (opset >= 13) {
                w.node("Unsqueeze", new String[] {"h", "ax0"}, new String[] {"u"}).node("Softmax", new String[] {"u"}, new String[] {"sm"}, ai("axis", -1))
                        .node("Squeeze", new String[] {"sm", "ax0"}, new String[] {"y"});
            } else {
                w.node("Unsqueeze", "h", "u", ints("axes", 0)).node("Softmax", "u", "sm", ai("axis", 3)).node("Squeeze", "sm", "y", ints("axes", 0));
            }
            check(w, 1e-5, in("x", s));
        }
        check(new OnnxWriter().opset(20).input("x", F, s).output("y", F, (long[]) null).node("Gelu", "x", "y", as("approximate", "none")), in("x", s));
    }

    @Test
    void threadCountsGiveTheSameBits() {
        long[] s = {64, 48};
        OnnxWriter w = new OnnxWriter().input("x", F, s).init("w", new long[] {48, 40}, gauss(48, 40)).init("b", new long[] {40}, gauss(40))
                .output("y", F, (long[]) null)
                .node("MatMul", new String[] {"x", "w"}, new String[] {"h"}).node("Add", new String[] {"h", "b"}, new String[] {"hb"})
                .node("Softmax", "hb", "y", ai("axis", -1));
        Plan p = Planner.plan(OnnxGraph.read(w.write(dir, "threads.onnx")), java.util.Map.of("x", s));
        List<Ort.In> ins = List.of(in("x", s));
        float[] one = Ort.host(p, ins, 1)[0], three = Ort.host(p, ins, 3)[0];
        for (int i = 0; i < one.length; i++) {
            assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(three[i]));
        }
    }
}
