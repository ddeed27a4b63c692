package io.autospec.nn;

import io.autospec.nn.OnnxGraph.Attribute;
import io.autospec.nn.OnnxGraph.Node;
import io.autospec.nn.Step.BinaryOp;
import io.autospec.nn.Step.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Lowers an {@link OnnxGraph} to a {@link Plan} for static input shapes. Every tensor's shape is
 * inferred; a node whose inputs are all known at plan time is evaluated then: float tensors by
 * running the very step the device would run ({@link HostExecutor#execute}), so folded values are
 * the device's bits; integer (shape) tensors in {@code long}. Reshape, Flatten, Squeeze, Unsqueeze,
 * Identity and no-op Casts only rename a slot. At run time integers live in int32 INT slots and
 * move only through type-blind steps (Gather, Copy, Where, Cast); float64 exists only as constants.
 * Activation slots are shared between tensors whose lifetimes do not overlap.
 */
public final class Planner {

    /** The ONNX ops (default domain) the planner lowers. */
    static final Set<String> SUPPORTED = Set.of(
            "Gather", "MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Reciprocal", "Erf", "Sigmoid",
            "Sin", "Cos", "Log", "Exp", "Tanh", "Relu", "Neg", "Abs", "Max", "Min", "Softmax", "ReduceMean",
            "ReduceSum", "Reshape", "Transpose", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast", "Shape",
            "Constant", "Identity", "Expand", "Where", "LayerNormalization", "Gelu", "Flatten", "Equal", "Less",
            "Greater", "Dropout", "ConstantOfShape", "Range");

    /** Why a node cannot be planned whatever its shapes, or null when its op is one the planner knows. */
    static String whyUnsupported(Node n) {
        if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
            return "domain '" + n.domain() + "' (only the default ONNX domain is implemented)";
        }
        return SUPPORTED.contains(n.opType()) ? null : "no step implements it";
    }

    /**
     * Plans {@code g} for the given static shape of every graph input (the batch dimension included).
     * @throws UnsupportedOpException for a node outside the supported ops or attributes
     * @throws NnException for missing or mismatched input shapes, float64 or integer arithmetic at run
     *         time, integer constants beyond int32 used at run time, or inconsistent shapes
     */
    public static Plan plan(OnnxGraph g, Map<String, long[]> inputShapes) {
        for (OnnxGraph.Unsupported u : g.unsupported()) {
            throw new UnsupportedOpException(u.op(), u.node(), u.why());
        }
        return new Planner(g).run(inputShapes);
    }

    // ---- values ----

    private enum T { F, I, D }

    /** A tensor of the graph: a float slot (constant or not), int constant data and/or an int slot, or float64 constant data. */
    private static final class V {
        final long[] shape;
        final T t;
        int slot = -1;
        long[] ci;
        double[] cd;

        V(long[] shape, T t) {
            this.shape = shape;
            this.t = t;
        }
    }

    /** A slot being built. */
    private static final class SB {
        final String name;
        final Slot.Type type;
        Slot.Kind kind;
        final long[] shape;
        final long elements;
        float[] f;
        int[] i;

        SB(String name, Slot.Type type, Slot.Kind kind, long[] shape, long elements) {
            this.name = name;
            this.type = type;
            this.kind = kind;
            this.shape = shape;
            this.elements = elements;
        }

        Object data() {
            return type == Slot.Type.FLOAT ? f : i;
        }
    }

    private final OnnxGraph g;
    private final int opset;
    private final List<SB> slots = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, V> values = new HashMap<>();
    private Node node;

    private Planner(OnnxGraph g) {
        this.g = g;
        this.opset = g.opset();
    }

    private NnException error(String msg) {
        String where = node == null ? "" : " (node '" + node.name() + "', " + node.opType() + ")";
        return new NnException(g.file() + where + ": " + msg);
    }

    private UnsupportedOpException unsupported(String why) {
        return new UnsupportedOpException(node.opType(), node.name(), why);
    }

    private static long count(long[] shape) {
        long c = 1;
        for (long d : shape) {
            c = Math.multiplyExact(c, d);
        }
        return c;
    }

    private int newSlot(String name, Slot.Type type, Slot.Kind kind, long[] shape) {
        long n;
        try {
            n = count(shape);
        } catch (ArithmeticException e) {
            throw error("tensor " + name + " of shape " + Arrays.toString(shape) + " has too many elements");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw error("tensor " + name + " of shape " + Arrays.toString(shape) + " has " + n + " elements, more than "
                    + (Integer.MAX_VALUE - 8));
        }
        slots.add(new SB(name, type, kind, shape.clone(), n));
        return slots.size() - 1;
    }

    private V floatConst(String name, long[] shape, float[] data) {
        V v = new V(shape, T.F);
        v.slot = newSlot(name, Slot.Type.FLOAT, Slot.Kind.CONSTANT, shape);
        slots.get(v.slot).f = data;
        return v;
    }

    private static V intConst(long[] shape, long[] data) {
        V v = new V(shape, T.I);
        v.ci = data;
        return v;
    }

    private V act(String name, long[] shape, boolean isFloat) {
        V v = new V(shape, isFloat ? T.F : T.I);
        v.slot = newSlot(name, isFloat ? Slot.Type.FLOAT : Slot.Type.INT, Slot.Kind.ACTIVATION, shape);
        return v;
    }

    private boolean isConst(V v) {
        return switch (v.t) {
            case F -> slots.get(v.slot).kind == Slot.Kind.CONSTANT;
            case I -> v.ci != null;
            case D -> true;
        };
    }

    private float[] floats(V v) {
        return slots.get(v.slot).f;
    }

    /** The slot of a value for a step, making an int32 constant slot of int constants. */
    private int slotOf(V v, String name) {
        if (v.t == T.D) {
            throw error("float64 tensor " + name + " is used at run time; autospec computes in float32 only "
                    + "(cast float64 constants to float32 in the graph)");
        }
        if (v.slot < 0) {
            int[] data = new int[v.ci.length];
            for (int k = 0; k < data.length; k++) {
                long x = v.ci[k];
                if (x != (int) x) {
                    throw error("integer constant " + name + " holds " + x + ", which does not fit the int32 of a run-time tensor");
                }
                data[k] = (int) x;
            }
            v.slot = newSlot(name, Slot.Type.INT, Slot.Kind.CONSTANT, v.shape);
            slots.get(v.slot).i = data;
        }
        return v.slot;
    }

    private static Step remap(Step s, IntUnaryOperator m) {
        if (s instanceof Step.MatMul x) {
            return new Step.MatMul(m.applyAsInt(x.a()), m.applyAsInt(x.b()), x.bias() < 0 ? -1 : m.applyAsInt(x.bias()),
                    m.applyAsInt(x.out()), x.batch(), x.m(), x.n(), x.kDim(), x.aBatchStride(), x.bBatchStride(), x.transB());
        } else if (s instanceof Step.Unary x) {
            return new Step.Unary(x.op(), m.applyAsInt(x.in()), m.applyAsInt(x.out()), x.count(), x.alpha());
        } else if (s instanceof Step.Binary x) {
            return new Step.Binary(x.op(), m.applyAsInt(x.a()), m.applyAsInt(x.b()), m.applyAsInt(x.out()), x.shape(), x.aStrides(), x.bStrides());
        } else if (s instanceof Step.Reduce x) {
            return new Step.Reduce(x.op(), m.applyAsInt(x.in()), m.applyAsInt(x.out()), x.outer(), x.reduced(), x.inner());
        } else if (s instanceof Step.Softmax x) {
            return new Step.Softmax(m.applyAsInt(x.in()), m.applyAsInt(x.out()), x.rows(), x.cols());
        } else if (s instanceof Step.Gather x) {
            return new Step.Gather(m.applyAsInt(x.data()), m.applyAsInt(x.indices()), m.applyAsInt(x.out()), x.outer(), x.axisLen(), x.inner(), x.count());
        } else if (s instanceof Step.Copy x) {
            return new Step.Copy(m.applyAsInt(x.in()), m.applyAsInt(x.out()), x.shape(), x.inOffset(), x.inStrides(), x.outOffset(), x.outStrides());
        } else if (s instanceof Step.Cast x) {
            return new Step.Cast(x.op(), m.applyAsInt(x.in()), m.applyAsInt(x.out()), x.count());
        } else if (s instanceof Step.Where x) {
            return new Step.Where(m.applyAsInt(x.cond()), m.applyAsInt(x.a()), m.applyAsInt(x.b()), m.applyAsInt(x.out()),
                    x.shape(), x.condStrides(), x.aStrides(), x.bStrides());
        } else if (s instanceof Step.IntBinary x) {
            return new Step.IntBinary(x.op(), m.applyAsInt(x.a()), m.applyAsInt(x.b()), m.applyAsInt(x.out()), x.shape(), x.aStrides(), x.bStrides());
        }
        throw new IllegalStateException("unknown step " + s);
    }

    /**
     * Adds steps that together write one slot; when every slot they read is constant they run now on
     * the host, with the executor's own code, and the slot becomes a constant.
     */
    private void emit(Step... group) {
        boolean constant = true;
        for (Step s : group) {
            for (int in : s.inputs()) {
                constant &= slots.get(in).kind == Slot.Kind.CONSTANT;
            }
        }
        if (!constant) {
            steps.addAll(Arrays.asList(group));
            return;
        }
        SB out = slots.get(group[0].out());
        if (out.type == Slot.Type.FLOAT) {
            out.f = new float[(int) out.elements];
        } else {
            out.i = new int[(int) out.elements];
        }
        for (Step s : group) {
            HostExecutor.execute(s, id -> slots.get(id).data());
        }
        out.kind = Slot.Kind.CONSTANT;
    }

    // ---- the plan ----

    private Plan run(Map<String, long[]> inputShapes) {
        List<String> inputNames = new ArrayList<>();
        for (OnnxGraph.ValueInfo in : g.inputs()) {
            long[] shape = inputShapes.get(in.name());
            if (shape == null) {
                throw error("no shape given for input " + in + " (shapes given: " + inputShapes.keySet() + ")");
            }
            if (shape.length != in.dims().length) {
                throw error("input " + in + " has rank " + in.dims().length + ", shape " + Arrays.toString(shape) + " given");
            }
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0 || in.dims()[d] >= 0 && in.dims()[d] != shape[d]) {
                    throw error("input " + in + " cannot have shape " + Arrays.toString(shape));
                }
            }
            boolean isFloat = switch (in.elemType()) {
                case OnnxGraph.FLOAT -> true;
                case OnnxGraph.INT32, OnnxGraph.INT64, OnnxGraph.BOOL, OnnxGraph.INT8, OnnxGraph.UINT8,
                     OnnxGraph.INT16, OnnxGraph.UINT16 -> false;
                default -> throw error("input " + in + ": autospec evaluates float32 and integer inputs only, not "
                        + OnnxGraph.typeName(in.elemType()));
            };
            V v = act(in.name(), shape, isFloat);
            slots.get(v.slot).kind = Slot.Kind.INPUT;
            values.put(in.name(), v);
            inputNames.add(in.name());
        }
        for (String name : inputShapes.keySet()) {
            if (!inputNames.contains(name)) {
                throw error("shape given for " + name + ", which is not an input of the graph (inputs: " + inputNames + ")");
            }
        }
        for (OnnxGraph.Tensor t : g.initializers().values()) {
            values.put(t.name(), tensorValue(t));
        }
        for (Node n : g.nodes()) {
            node = n;
            lower(n);
        }
        node = null;
        List<String> outputNames = new ArrayList<>();
        List<Integer> outputIds = new ArrayList<>();
        for (OnnxGraph.ValueInfo o : g.outputs()) {
            V v = values.get(o.name());
            if (v == null) {
                throw error("graph output " + o.name() + " is computed by no node");
            }
            if (v.t != T.F) {
                throw error("graph output " + o + " is not float32; autospec returns float32 outputs only");
            }
            outputNames.add(o.name());
            outputIds.add(v.slot);
        }
        int[] inputIds = inputNames.stream().mapToInt(nm -> values.get(nm).slot).toArray();
        return finish(inputNames, inputIds, outputNames, outputIds.stream().mapToInt(Integer::intValue).toArray());
    }

    private V tensorValue(OnnxGraph.Tensor t) {
        if (t.floats() != null) {
            return floatConst(t.name(), t.dims(), t.floats());
        }
        if (t.doubles() != null) {
            V v = new V(t.dims(), T.D);
            v.cd = t.doubles();
            return v;
        }
        return intConst(t.dims(), t.longs());
    }

    /** Drops dead steps, shares activation slots between disjoint lifetimes, and numbers the slots. */
    private Plan finish(List<String> inputNames, int[] inputIds, List<String> outputNames, int[] outputIds) {
        boolean[] needed = new boolean[slots.size()];
        for (int o : outputIds) {
            needed[o] = true;
        }
        List<Step> live = new ArrayList<>();
        for (int k = steps.size() - 1; k >= 0; k--) {
            Step s = steps.get(k);
            if (needed[s.out()]) {
                live.add(s);
                for (int in : s.inputs()) {
                    needed[in] = true;
                }
            }
        }
        java.util.Collections.reverse(live);
        int[] last = new int[slots.size()];
        Arrays.fill(last, -1);
        for (int k = 0; k < live.size(); k++) {
            for (int in : live.get(k).inputs()) {
                last[in] = k;
            }
            last[live.get(k).out()] = Math.max(last[live.get(k).out()], k);
        }
        for (int o : outputIds) {
            last[o] = Integer.MAX_VALUE;
        }
        int[] map = new int[slots.size()];
        Arrays.fill(map, -1);
        List<SB> phys = new ArrayList<>();
        for (int id : inputIds) {
            map[id] = phys.size();
            phys.add(slots.get(id));
        }
        Map<String, List<Integer>> free = new HashMap<>(); // "type/elements" -> free physical ids
        for (int k = 0; k < live.size(); k++) {
            Step s = live.get(k);
            for (int in : s.inputs()) {
                if (map[in] < 0) { // constants, mapped on first use
                    map[in] = phys.size();
                    phys.add(slots.get(in));
                }
            }
            int out = s.out();
            if (map[out] < 0) {
                SB sb = slots.get(out);
                List<Integer> pool = free.get(sb.type + "/" + sb.elements);
                if (pool != null && !pool.isEmpty()) {
                    map[out] = pool.remove(pool.size() - 1);
                } else {
                    map[out] = phys.size();
                    phys.add(sb);
                }
            }
            for (int in : concat(s.inputs(), out)) {
                SB sb = slots.get(in);
                if (last[in] == k && sb.kind == Slot.Kind.ACTIVATION) {
                    free.computeIfAbsent(sb.type + "/" + sb.elements, x -> new ArrayList<>()).add(map[in]);
                    last[in] = -2; // released once
                }
            }
        }
        for (int o : outputIds) {
            if (map[o] < 0) { // an output that is a constant or an input
                map[o] = phys.size();
                phys.add(slots.get(o));
            }
        }
        List<Slot> out = new ArrayList<>();
        for (int p = 0; p < phys.size(); p++) {
            SB sb = phys.get(p);
            out.add(new Slot(p, sb.name, sb.type, sb.kind, sb.shape, sb.elements, sb.f, sb.i));
        }
        List<Step> mapped = new ArrayList<>();
        for (Step s : live) {
            mapped.add(remap(s, id -> map[id]));
        }
        int batch = 1;
        if (inputIds.length > 0 && slots.get(inputIds[0]).shape.length > 0) {
            batch = (int) slots.get(inputIds[0]).shape[0];
        }
        return new Plan(batch, List.copyOf(out), List.copyOf(mapped), List.copyOf(inputNames),
                Arrays.stream(inputIds).map(id -> map[id]).toArray(), List.copyOf(outputNames),
                Arrays.stream(outputIds).map(id -> map[id]).toArray());
    }

    private static int[] concat(int[] a, int b) {
        int[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }

    // ---- nodes ----

    private V in(int k) {
        if (k >= node.inputs().size() || node.inputs().get(k).isEmpty()) {
            return null;
        }
        String name = node.inputs().get(k);
        V v = values.get(name);
        if (v == null) {
            throw error("input " + name + " is not computed before this node (the graph is not in topological order or refers to an unknown tensor)");
        }
        return v;
    }

    private V req(int k) {
        V v = in(k);
        if (v == null) {
            throw error("missing input " + k);
        }
        return v;
    }

    private String inName(int k) {
        return node.inputs().get(k);
    }

    private String outName() {
        return node.outputs().get(0);
    }

    private void put(V v) {
        values.put(outName(), v);
    }

    private long attrInt(String key, long dflt) {
        Attribute a = node.attribute(key);
        return a == null ? dflt : a.i();
    }

    private float attrFloat(String key, float dflt) {
        Attribute a = node.attribute(key);
        return a == null ? dflt : a.f();
    }

    private long[] attrInts(String key) {
        Attribute a = node.attribute(key);
        return a == null ? null : a.ints();
    }

    /** An integer input that must be known at plan time (shape, axes, starts, ...). */
    private long[] constInts(int k, String what) {
        V v = in(k);
        if (v == null) {
            return null;
        }
        if (v.t != T.I || v.ci == null) {
            throw unsupported(what + " (input " + inName(k) + ") must be an integer tensor known when the plan is built");
        }
        return v.ci;
    }

    private int axis(long a, int rank) {
        long r = a < 0 ? a + rank : a;
        if (r < 0 || r >= rank) {
            throw error("axis " + a + " is out of range for rank " + rank);
        }
        return (int) r;
    }

    private void lower(Node n) {
        switch (n.opType()) {
            case "Constant" -> put(constantAttr());
            case "Identity", "Dropout" -> put(req(0));
            case "Shape" -> {
                long[] s = req(0).shape;
                int r = s.length;
                long start = attrInt("start", 0), end = attrInt("end", r);
                int a = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
                int b = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
                long[] d = Arrays.copyOfRange(s, a, Math.max(a, b));
                put(intConst(new long[] {d.length}, d));
            }
            case "Add" -> binary(BinaryOp.ADD, Math::addExact);
            case "Sub" -> binary(BinaryOp.SUB, Math::subtractExact);
            case "Mul" -> binary(BinaryOp.MUL, Math::multiplyExact);
            case "Div" -> binary(BinaryOp.DIV, (x, y) -> {
                if (y == 0) {
                    throw error("integer division by zero");
                }
                return x / y;
            });
            case "Pow" -> binary(BinaryOp.POW, null);
            case "Max", "Min" -> {
                boolean max = n.opType().equals("Max");
                V acc = req(0);
                for (int k = 1; k < n.inputs().size(); k++) {
                    acc = binary(max ? BinaryOp.MAX : BinaryOp.MIN, max ? Math::max : Math::min, acc, req(k), inName(0));
                }
                put(acc);
            }
            case "Equal", "Less", "Greater" -> compare(n.opType());
            case "Sqrt" -> unary(UnaryOp.SQRT, 0f);
            case "Reciprocal" -> unary(UnaryOp.RECIPROCAL, 0f);
            case "Erf" -> unary(UnaryOp.ERF, 0f);
            case "Sigmoid" -> unary(UnaryOp.SIGMOID, 0f);
            case "Sin" -> unary(UnaryOp.SIN, 0f);
            case "Cos" -> unary(UnaryOp.COS, 0f);
            case "Log" -> unary(UnaryOp.LOG, 0f);
            case "Exp" -> unary(UnaryOp.EXP, 0f);
            case "Tanh" -> unary(UnaryOp.TANH, 0f);
            case "Relu" -> unary(UnaryOp.RELU, 0f);
            case "Neg" -> unary(UnaryOp.NEG, 0f);
            case "Abs" -> unary(UnaryOp.ABS, 0f);
            case "Gelu" -> {
                Attribute a = n.attribute("approximate");
                String approx = a == null || a.s() == null ? "none" : new String(a.s(), java.nio.charset.StandardCharsets.UTF_8);
                if (!approx.equals("none")) {
                    throw unsupported("approximate='" + approx + "' (only the exact erf Gelu is implemented)");
                }
                unary(UnaryOp.GELU, 0f);
            }
            case "MatMul" -> put(matMul(req(0), req(1), -1));
            case "Gemm" -> gemm();
            case "Softmax" -> softmax();
            case "ReduceMean", "ReduceSum" -> reduce();
            case "LayerNormalization" -> layerNorm();
            case "Reshape" -> reshape();
            case "Flatten" -> {
                V x = req(0);
                int r = x.shape.length;
                long ax = attrInt("axis", 1);
                int a = (int) (ax < 0 ? ax + r : ax);
                if (a < 0 || a > r) {
                    throw error("axis " + ax + " is out of range for rank " + r);
                }
                put(alias(x, new long[] {count(Arrays.copyOfRange(x.shape, 0, a)), count(Arrays.copyOfRange(x.shape, a, r))}));
            }
            case "Unsqueeze" -> unsqueeze();
            case "Squeeze" -> squeeze();
            case "Transpose" -> transpose();
            case "Concat" -> concatOp();
            case "Slice" -> slice();
            case "Expand" -> expand();
            case "Gather" -> gather();
            case "Where" -> whereOp();
            case "Cast" -> cast();
            case "ConstantOfShape" -> {
                long[] shape = constInts(0, "the shape");
                Attribute a = n.attribute("value");
                OnnxGraph.Tensor t = a == null ? null : a.t();
                long n2 = count(shape);
                if (t == null || t.floats() != null) {
                    float[] d = new float[(int) n2];
                    Arrays.fill(d, t == null ? 0f : t.floats()[0]);
                    put(floatConst(outName(), shape, d));
                } else if (t.longs() != null) {
                    long[] d = new long[(int) n2];
                    Arrays.fill(d, t.longs()[0]);
                    put(intConst(shape, d));
                } else {
                    throw unsupported("a float64 value");
                }
            }
            case "Range" -> range();
            default -> throw unsupported("no step implements it");
        }
    }

    private V constantAttr() {
        Attribute a = node.attributes().values().stream().findFirst().orElseThrow(() -> error("Constant without a value"));
        return switch (a.name()) {
            case "value" -> tensorValue(a.t());
            case "value_float" -> floatConst(outName(), new long[0], new float[] {a.f()});
            case "value_floats" -> floatConst(outName(), new long[] {a.floats().length}, a.floats());
            case "value_int" -> intConst(new long[0], new long[] {a.i()});
            case "value_ints" -> intConst(new long[] {a.ints().length}, a.ints());
            default -> throw unsupported("attribute " + a.name());
        };
    }

    private V alias(V x, long[] shape) {
        V v = new V(shape, x.t);
        v.slot = x.slot;
        v.ci = x.ci;
        v.cd = x.cd;
        return v;
    }

    // ---- broadcasting and geometry ----

    private long[] broadcast(long[]... shapes) {
        int r = 0;
        for (long[] s : shapes) {
            r = Math.max(r, s.length);
        }
        long[] out = new long[r];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int d = 0; d < s.length; d++) {
                int o = r - s.length + d;
                if (s[d] != 1) {
                    if (out[o] != 1 && out[o] != s[d]) {
                        StringBuilder b = new StringBuilder();
                        for (long[] x : shapes) {
                            b.append(Arrays.toString(x)).append(' ');
                        }
                        throw error("shapes " + b.toString().trim() + " do not broadcast");
                    }
                    out[o] = s[d];
                }
            }
        }
        return out;
    }

    private static long[] dense(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }

    /** Strides of {@code shape} read as broadcast to {@code out} (0 on broadcast axes). */
    private static long[] bstrides(long[] shape, long[] out) {
        long[] st = dense(shape);
        long[] r = new long[out.length];
        for (int d = 0; d < shape.length; d++) {
            int o = out.length - shape.length + d;
            r[o] = shape[d] == 1 ? 0 : st[d];
        }
        return r;
    }

    /**
     * Merges axes that every operand walks contiguously and drops axes of length 1, so that steps are
     * of low rank with long inner loops; result [shape, strides of each operand], rank at least 1.
     */
    private long[][] coalesce(long[] shape, long[]... strides) {
        List<long[]> cols = new ArrayList<>(); // per kept axis: [len, s0, s1, ...]
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            long[] c = new long[strides.length + 1];
            c[0] = shape[d];
            for (int k = 0; k < strides.length; k++) {
                c[k + 1] = strides[k][d];
            }
            if (!cols.isEmpty()) {
                long[] p = cols.get(cols.size() - 1);
                boolean merge = true;
                for (int k = 0; k < strides.length; k++) {
                    merge &= p[k + 1] == c[k + 1] * c[0];
                }
                if (merge) {
                    p[0] *= c[0];
                    for (int k = 0; k < strides.length; k++) {
                        p[k + 1] = c[k + 1];
                    }
                    continue;
                }
            }
            cols.add(c);
        }
        if (cols.isEmpty()) {
            long[] c = new long[strides.length + 1];
            c[0] = 1;
            cols.add(c);
        }
        if (cols.size() > Plan.MAX_RANK) {
            throw unsupported("an elementwise or copy pattern of rank " + cols.size() + " (at most " + Plan.MAX_RANK + ")");
        }
        long[][] r = new long[strides.length + 1][cols.size()];
        for (int d = 0; d < cols.size(); d++) {
            for (int k = 0; k <= strides.length; k++) {
                r[k][d] = cols.get(d)[k];
            }
        }
        return r;
    }

    private static int[] ints(long[] a) {
        int[] r = new int[a.length];
        for (int k = 0; k < a.length; k++) {
            r[k] = Math.toIntExact(a[k]);
        }
        return r;
    }

    /** One strided piece of a copy: input value, the coordinates' shape, input offset and strides, output offset and strides. */
    private record Piece(V in, String inName, long[] shape, long inOff, long[] inStrides, long outOff, long[] outStrides) {}

    /**
     * Writes a new tensor of {@code outShape} from strided pieces: int constants in long arithmetic,
     * anything else as Copy steps (folded when their inputs are constant).
     */
    private V copies(long[] outShape, boolean isFloat, List<Piece> pieces) {
        boolean allIntConst = !isFloat;
        for (Piece p : pieces) {
            allIntConst &= p.in.t == T.I && p.in.ci != null;
            if (p.in.t == T.D) {
                allIntConst = false;
            }
        }
        if (allIntConst) {
            long[] out = new long[(int) count(outShape)];
            for (Piece p : pieces) {
                long n = count(p.shape);
                long[] st = dense(p.shape);
                for (long e = 0; e < n; e++) {
                    long io = p.inOff, oo = p.outOff, rem = e;
                    for (int d = 0; d < p.shape.length; d++) {
                        long c = rem / st[d];
                        rem %= st[d];
                        io += c * p.inStrides[d];
                        oo += c * p.outStrides[d];
                    }
                    out[(int) oo] = p.in.ci[(int) io];
                }
            }
            return intConst(outShape, out);
        }
        if (anyFloat64(pieces)) {
            throw error("float64 tensors are only supported as constants consumed by Cast");
        }
        V out = act(outName(), outShape, isFloat);
        List<Step> group = new ArrayList<>();
        for (Piece p : pieces) {
            if (count(p.shape) == 0) {
                continue;
            }
            long[][] c = coalesce(p.shape, p.inStrides, p.outStrides);
            group.add(new Step.Copy(slotOf(p.in, p.inName), out.slot, ints(c[0]), p.inOff, c[1], p.outOff, c[2]));
        }
        if (group.isEmpty()) {
            if (isFloat) {
                slots.get(out.slot).f = new float[0];
            } else {
                slots.get(out.slot).i = new int[0];
            }
            slots.get(out.slot).kind = Slot.Kind.CONSTANT;
        } else {
            emit(group.toArray(new Step[0]));
        }
        return constInts(out);
    }

    private static boolean anyFloat64(List<Piece> pieces) {
        return pieces.stream().anyMatch(p -> p.in.t == T.D);
    }

    /** An int slot that became constant (folded) also carries its values as long, for later shape use. */
    private V constInts(V v) {
        if (v.t == T.I && v.ci == null && slots.get(v.slot).kind == Slot.Kind.CONSTANT) {
            int[] d = slots.get(v.slot).i;
            v.ci = new long[d.length];
            for (int k = 0; k < d.length; k++) {
                v.ci[k] = d[k];
            }
        }
        return v;
    }

    private Piece whole(V x, String name, long[] outShape, long[] inStrides, long inOff) {
        return new Piece(x, name, outShape, inOff, inStrides, 0, dense(outShape));
    }

    // ---- elementwise ----

    private void unary(UnaryOp op, float alpha) {
        V x = req(0);
        if (x.t == T.I && x.ci != null && (op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.RELU)) {
            long[] r = new long[x.ci.length];
            for (int k = 0; k < r.length; k++) {
                r[k] = op == UnaryOp.NEG ? -x.ci[k] : op == UnaryOp.ABS ? Math.abs(x.ci[k]) : Math.max(0, x.ci[k]);
            }
            put(intConst(x.shape, r));
            return;
        }
        requireFloat(x, inName(0));
        V out = act(outName(), x.shape, true);
        emit(new Step.Unary(op, x.slot, out.slot, count(x.shape), alpha));
        put(out);
    }

    private void requireFloat(V x, String name) {
        if (x.t == T.D) {
            slotOf(x, name); // the float64 message
        }
        if (x.t != T.F) {
            throw unsupported("integer tensor " + name + " at run time (float32 arithmetic only; integers are moved, gathered and cast)");
        }
    }

    private void binary(BinaryOp op, LongBinaryOperator intOp) {
        put(binary(op, intOp, req(0), req(1), inName(0) + "," + inName(1)));
    }

    private V binary(BinaryOp op, LongBinaryOperator intOp, V a, V b, String names) {
        long[] shape = broadcast(a.shape, b.shape);
        if (a.t == T.I && b.t == T.I && a.ci != null && b.ci != null && intOp != null) {
            long[] sa = bstrides(a.shape, shape), sb = bstrides(b.shape, shape), st = dense(shape);
            long[] r = new long[(int) count(shape)];
            for (int e = 0; e < r.length; e++) {
                long ia = 0, ib = 0, rem = e;
                for (int d = 0; d < shape.length; d++) {
                    long c = rem / st[d];
                    rem %= st[d];
                    ia += c * sa[d];
                    ib += c * sb[d];
                }
                try {
                    r[e] = intOp.applyAsLong(a.ci[(int) ia], b.ci[(int) ib]);
                } catch (ArithmeticException ex) {
                    throw error("integer overflow in " + node.opType() + " of " + a.ci[(int) ia] + " and " + b.ci[(int) ib]);
                }
            }
            return intConst(shape, r);
        }
        if (a.t == T.I && b.t == T.I) {
            Step.IntBinaryOp iop = switch (op) {
                case ADD -> Step.IntBinaryOp.ADD;
                case SUB -> Step.IntBinaryOp.SUB;
                case MUL -> Step.IntBinaryOp.MUL;
                default -> throw unsupported("integer " + op + " at run time (only +, - and * of int32 indices)");
            };
            V out = act(outName(), shape, false);
            long[][] c = coalesce(shape, bstrides(a.shape, shape), bstrides(b.shape, shape));
            emit(new Step.IntBinary(iop, slotOf(a, names), slotOf(b, names), out.slot, ints(c[0]), c[1], c[2]));
            return constInts(out);
        }
        requireFloat(a, names);
        requireFloat(b, names);
        V out = act(outName(), shape, true);
        long[][] c = coalesce(shape, bstrides(a.shape, shape), bstrides(b.shape, shape));
        emit(new Step.Binary(op, a.slot, b.slot, out.slot, ints(c[0]), c[1], c[2]));
        return out;
    }

    private void compare(String op) {
        V a = req(0), b = req(1);
        if (!isConst(a) || !isConst(b) || a.t == T.D || b.t == T.D) {
            throw unsupported("comparisons are evaluated only on tensors known when the plan is built");
        }
        long[] shape = broadcast(a.shape, b.shape);
        long[] sa = bstrides(a.shape, shape), sb = bstrides(b.shape, shape), st = dense(shape);
        long[] r = new long[(int) count(shape)];
        for (int e = 0; e < r.length; e++) {
            long ia = 0, ib = 0, rem = e;
            for (int d = 0; d < shape.length; d++) {
                long c = rem / st[d];
                rem %= st[d];
                ia += c * sa[d];
                ib += c * sb[d];
            }
            int cmp;
            boolean eq;
            if (a.t == T.I && b.t == T.I) {
                long x = a.ci[(int) ia], y = b.ci[(int) ib];
                cmp = Long.compare(x, y);
                eq = x == y;
            } else if (a.t == T.F && b.t == T.F) {
                float x = floats(a)[(int) ia], y = floats(b)[(int) ib];
                cmp = x < y ? -1 : x > y ? 1 : 0;
                eq = x == y;
                if (Float.isNaN(x) || Float.isNaN(y)) {
                    cmp = 2; // no order: Less and Greater are false
                }
            } else {
                throw error("comparison of tensors of different types");
            }
            r[e] = switch (op) {
                case "Equal" -> eq ? 1 : 0;
                case "Less" -> cmp == -1 ? 1 : 0;
                default -> cmp == 1 ? 1 : 0;
            };
        }
        put(intConst(shape, r));
    }

    private void whereOp() {
        V cond = req(0), a = req(1), b = req(2);
        if (cond.t != T.I) {
            throw error("Where's condition must be bool");
        }
        if (a.t != b.t) {
            throw error("Where of tensors of different types");
        }
        long[] shape = broadcast(cond.shape, a.shape, b.shape);
        if (a.t == T.D) {
            slotOf(a, inName(1));
        }
        if (a.t == T.I && a.ci != null && b.ci != null && cond.ci != null) {
            long[] sc = bstrides(cond.shape, shape), sa = bstrides(a.shape, shape), sb = bstrides(b.shape, shape), st = dense(shape);
            long[] r = new long[(int) count(shape)];
            for (int e = 0; e < r.length; e++) {
                long ic = 0, ia = 0, ib = 0, rem = e;
                for (int d = 0; d < shape.length; d++) {
                    long c = rem / st[d];
                    rem %= st[d];
                    ic += c * sc[d];
                    ia += c * sa[d];
                    ib += c * sb[d];
                }
                r[e] = cond.ci[(int) ic] != 0 ? a.ci[(int) ia] : b.ci[(int) ib];
            }
            put(intConst(shape, r));
            return;
        }
        V out = act(outName(), shape, a.t == T.F);
        long[][] c = coalesce(shape, bstrides(cond.shape, shape), bstrides(a.shape, shape), bstrides(b.shape, shape));
        emit(new Step.Where(slotOf(cond, inName(0)), slotOf(a, inName(1)), slotOf(b, inName(2)), out.slot,
                ints(c[0]), c[1], c[2], c[3]));
        put(constInts(out));
    }

    // ---- linear algebra ----

    /** A @ B with numpy batch broadcasting; bias a slot of n floats or -1. */
    private V matMul(V a, V b, int bias) {
        requireFloat(a, inName(0));
        requireFloat(b, inName(1));
        long[] as = a.shape, bs = b.shape;
        if (as.length == 0 || bs.length == 0) {
            throw error("MatMul of a scalar");
        }
        boolean aVec = as.length == 1, bVec = bs.length == 1;
        long[] a2 = aVec ? new long[] {1, as[0]} : as;
        long[] b2 = bVec ? new long[] {bs[0], 1} : bs;
        long m = a2[a2.length - 2], k = a2[a2.length - 1], k2 = b2[b2.length - 2], n = b2[b2.length - 1];
        if (k != k2) {
            throw error("MatMul of shapes " + Arrays.toString(as) + " and " + Arrays.toString(bs) + ": inner dimensions differ");
        }
        long[] aBatch = Arrays.copyOf(a2, a2.length - 2), bBatch = Arrays.copyOf(b2, b2.length - 2);
        long[] batchShape = broadcast(aBatch, bBatch);
        long batch = count(batchShape);
        int aSlot = batchOperand(a, aBatch, batchShape, m, k, inName(0));
        int bSlot = batchOperand(b, bBatch, batchShape, k, n, inName(1));
        long aStride = count(aBatch) == 1 ? 0 : m * k; // one matrix broadcast, or one per batch entry
        long bStride = count(bBatch) == 1 ? 0 : k * n;
        long[] outShape = Arrays.copyOf(batchShape, batchShape.length + 2);
        outShape[batchShape.length] = m;
        outShape[batchShape.length + 1] = n;
        V out = act(outName(), outShape, true);
        emit(new Step.MatMul(aSlot, bSlot, bias, out.slot, Math.toIntExact(batch), Math.toIntExact(m), Math.toIntExact(n),
                Math.toIntExact(k), aStride, bStride, false));
        if (aVec || bVec) {
            List<Long> s = new ArrayList<>();
            for (long d : batchShape) {
                s.add(d);
            }
            if (!aVec) {
                s.add(m);
            }
            if (!bVec) {
                s.add(n);
            }
            return alias(out, s.stream().mapToLong(Long::longValue).toArray());
        }
        return out;
    }

    /** The slot of a MatMul operand: itself when its batch is the whole batch or one matrix, else expanded. */
    private int batchOperand(V x, long[] xBatch, long[] batchShape, long rows, long cols, String name) {
        long nb = count(xBatch), batch = count(batchShape);
        if (nb == batch || nb == 1) {
            return x.slot;
        }
        long[] full = Arrays.copyOf(batchShape, batchShape.length + 2);
        full[batchShape.length] = rows;
        full[batchShape.length + 1] = cols;
        long[] xs = Arrays.copyOf(xBatch, xBatch.length + 2);
        xs[xBatch.length] = rows;
        xs[xBatch.length + 1] = cols;
        V e = copies(full, true, List.of(whole(x, name, full, bstrides(xs, full), 0)));
        return e.slot;
    }

    private V transpose2(V x, String name) {
        long[] s = x.shape;
        long[] out = {s[1], s[0]};
        return copies(out, true, List.of(whole(x, name, out, new long[] {1, s[1]}, 0)));
    }

    private void gemm() {
        V a = req(0), b = req(1), c = in(2);
        requireFloat(a, inName(0));
        requireFloat(b, inName(1));
        if (a.shape.length != 2 || b.shape.length != 2) {
            throw error("Gemm needs 2-D A and B, got " + Arrays.toString(a.shape) + " and " + Arrays.toString(b.shape));
        }
        float alpha = attrFloat("alpha", 1f), beta = attrFloat("beta", 1f);
        if (attrInt("transA", 0) != 0) {
            a = transpose2(a, inName(0));
        }
        boolean transB = attrInt("transB", 0) != 0;
        if (transB && isConst(b)) { // laid out as [k, n] now, by the executor's own Copy
            b = transpose2(b, inName(1));
            transB = false;
        }
        long m = a.shape[0], k = a.shape[1];
        long n = transB ? b.shape[0] : b.shape[1];
        if ((transB ? b.shape[1] : b.shape[0]) != k) {
            throw error("Gemm of shapes " + Arrays.toString(a.shape) + " and " + Arrays.toString(b.shape) + ": inner dimensions differ");
        }
        if (c != null) {
            requireFloat(c, inName(2));
        }
        boolean rowBias = c != null && alpha == 1f && beta == 1f && count(c.shape) == n && (c.shape.length == 1 || c.shape.length == 2 && c.shape[0] == 1);
        V out = act(alpha == 1f && (c == null || rowBias) ? outName() : outName() + "/product", new long[] {m, n}, true);
        emit(new Step.MatMul(a.slot, b.slot, rowBias ? c.slot : -1, out.slot, 1, Math.toIntExact(m), Math.toIntExact(n),
                Math.toIntExact(k), 0, 0, transB));
        if (c == null || rowBias) {
            if (alpha != 1f) {
                V scaled = act(outName(), out.shape, true);
                emit(new Step.Unary(UnaryOp.SCALE, out.slot, scaled.slot, count(out.shape), alpha));
                out = scaled;
            }
            put(out);
            return;
        }
        if (alpha != 1f) {
            V scaled = act(outName() + "/alpha", out.shape, true);
            emit(new Step.Unary(UnaryOp.SCALE, out.slot, scaled.slot, count(out.shape), alpha));
            out = scaled;
        }
        if (beta != 1f) {
            V scaled = act(outName() + "/beta", c.shape, true);
            emit(new Step.Unary(UnaryOp.SCALE, c.slot, scaled.slot, count(c.shape), beta));
            c = scaled;
        }
        put(binary(BinaryOp.ADD, null, out, c, inName(2)));
    }

    // ---- reductions and normalisation ----

    /** Moves axis set {@code moved} (ascending) of x to the end, keeping the others' order. */
    private V moveToEnd(V x, int[] moved, String name) {
        int r = x.shape.length;
        int[] perm = new int[r];
        int p = 0;
        for (int d = 0; d < r; d++) {
            final int dd = d;
            if (Arrays.stream(moved).noneMatch(m -> m == dd)) {
                perm[p++] = d;
            }
        }
        for (int m : moved) {
            perm[p++] = m;
        }
        return permute(x, perm, name);
    }

    private V permute(V x, int[] perm, String name) {
        long[] st = dense(x.shape);
        long[] out = new long[perm.length], ins = new long[perm.length];
        for (int d = 0; d < perm.length; d++) {
            out[d] = x.shape[perm[d]];
            ins[d] = st[perm[d]];
        }
        return copies(out, x.t == T.F, List.of(whole(x, name, out, ins, 0)));
    }

    private void softmax() {
        V x = req(0);
        requireFloat(x, inName(0));
        int r = x.shape.length;
        int a = axis(attrInt("axis", opset < 13 ? 1 : -1), r);
        V out;
        if (opset < 13) { // softmax over the flattened [axis, rank) block
            long rows = count(Arrays.copyOfRange(x.shape, 0, a));
            out = act(outName(), x.shape, true);
            emit(new Step.Softmax(x.slot, out.slot, rows, count(Arrays.copyOfRange(x.shape, a, r))));
        } else if (a == r - 1) {
            out = act(outName(), x.shape, true);
            emit(new Step.Softmax(x.slot, out.slot, count(x.shape) / Math.max(1, x.shape[r - 1]), x.shape[r - 1]));
        } else {
            V t = moveToEnd(x, new int[] {a}, inName(0));
            V s = act(outName() + "/last", t.shape, true);
            emit(new Step.Softmax(t.slot, s.slot, count(t.shape) / Math.max(1, x.shape[a]), x.shape[a]));
            int[] back = new int[r]; // inverse of the move: axis a comes back from the end
            for (int d = 0, p = 0; d < r; d++) {
                back[d] = d == a ? r - 1 : p++;
            }
            out = permute(s, back, outName() + "/last");
        }
        put(out);
    }

    private void reduce() {
        V x = req(0);
        boolean mean = node.opType().equals("ReduceMean");
        long[] axes = attrInts("axes");
        boolean axesInput = mean ? opset >= 18 : opset >= 13;
        if (axesInput) {
            axes = constInts(1, "axes");
        }
        boolean keep = attrInt("keepdims", 1) != 0;
        int r = x.shape.length;
        if (axes == null || axes.length == 0) {
            if (attrInt("noop_with_empty_axes", 0) != 0) {
                put(x);
                return;
            }
            axes = new long[r];
            for (int d = 0; d < r; d++) {
                axes[d] = d;
            }
        }
        int[] ax = Arrays.stream(axes).mapToInt(v -> axis(v, r)).distinct().sorted().toArray();
        long[] outShape = reducedShape(x.shape, ax, keep);
        if (x.t == T.I && x.ci != null && !mean) {
            // an integer sum known at plan time: in long, axis by axis in ascending order
            put(intConst(outShape, sumLong(x, ax)));
            return;
        }
        requireFloat(x, inName(0));
        put(reduceFloat(x, ax, outShape, mean ? Step.ReduceOp.MEAN : Step.ReduceOp.SUM, inName(0)));
    }

    private static long[] reducedShape(long[] shape, int[] ax, boolean keep) {
        List<Long> s = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            final int dd = d;
            boolean red = Arrays.stream(ax).anyMatch(a -> a == dd);
            if (!red) {
                s.add(shape[d]);
            } else if (keep) {
                s.add(1L);
            }
        }
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    private long[] sumLong(V x, int[] ax) {
        long[] outShape = reducedShape(x.shape, ax, true);
        long[] out = new long[(int) count(outShape)];
        long[] st = dense(x.shape), ost = dense(outShape);
        for (int e = 0; e < x.ci.length; e++) {
            long rem = e, o = 0;
            for (int d = 0; d < x.shape.length; d++) {
                long c = rem / st[d];
                rem %= st[d];
                final int dd = d;
                if (Arrays.stream(ax).noneMatch(a -> a == dd)) {
                    o += c * ost[d];
                }
            }
            out[(int) o] += x.ci[e];
        }
        return out;
    }

    private V reduceFloat(V x, int[] ax, long[] outShape, Step.ReduceOp op, String name) {
        boolean contiguous = true;
        for (int k = 1; k < ax.length; k++) {
            contiguous &= ax[k] == ax[k - 1] + 1;
        }
        V src = x;
        long outer, reduced, inner;
        if (contiguous) {
            outer = count(Arrays.copyOfRange(x.shape, 0, ax[0]));
            reduced = count(Arrays.copyOfRange(x.shape, ax[0], ax[ax.length - 1] + 1));
            inner = count(Arrays.copyOfRange(x.shape, ax[ax.length - 1] + 1, x.shape.length));
        } else {
            src = moveToEnd(x, ax, name);
            reduced = 1;
            for (int a : ax) {
                reduced *= x.shape[a];
            }
            outer = count(x.shape) / Math.max(1, reduced);
            inner = 1;
        }
        V out = act(outName(), outShape, true);
        emit(new Step.Reduce(op, src.slot, out.slot, outer, reduced, inner));
        return out;
    }

    private void layerNorm() {
        V x = req(0), scale = req(1), bias = in(2);
        requireFloat(x, inName(0));
        int r = x.shape.length;
        int a = axis(attrInt("axis", -1), r);
        float eps = attrFloat("epsilon", 1e-5f);
        int[] ax = new int[r - a];
        for (int d = a; d < r; d++) {
            ax[d - a] = d;
        }
        long[] statShape = reducedShape(x.shape, ax, true);
        String y = outName();
        V mean = reduceFloat(x, ax, statShape, Step.ReduceOp.MEAN, inName(0));
        V d = binary(BinaryOp.SUB, null, x, mean, y + "/centred");
        V sq = binary(BinaryOp.MUL, null, d, d, y + "/squared");
        V var = reduceFloat(sq, ax, statShape, Step.ReduceOp.MEAN, y + "/squared");
        V ve = act(y + "/variance+eps", statShape, true);
        emit(new Step.Unary(UnaryOp.SHIFT, var.slot, ve.slot, count(statShape), eps));
        V sd = act(y + "/std", statShape, true);
        emit(new Step.Unary(UnaryOp.SQRT, ve.slot, sd.slot, count(statShape), 0f));
        V norm = binary(BinaryOp.DIV, null, d, sd, y + "/normalised");
        V out = binary(BinaryOp.MUL, null, norm, scale, inName(1));
        if (bias != null) {
            out = binary(BinaryOp.ADD, null, out, bias, inName(2));
        }
        put(out);
        if (node.outputs().size() > 1 && !node.outputs().get(1).isEmpty()) {
            values.put(node.outputs().get(1), mean);
        }
        if (node.outputs().size() > 2 && !node.outputs().get(2).isEmpty()) {
            V inv = act(node.outputs().get(2), statShape, true);
            emit(new Step.Unary(UnaryOp.RECIPROCAL, sd.slot, inv.slot, count(statShape), 0f));
            values.put(node.outputs().get(2), inv);
        }
    }

    // ---- shapes and movement ----

    private void reshape() {
        V x = req(0);
        long[] spec = constInts(1, "the target shape");
        boolean allowZero = attrInt("allowzero", 0) != 0;
        long[] s = new long[spec.length];
        int minus = -1;
        long known = 1;
        for (int d = 0; d < spec.length; d++) {
            long v = spec[d];
            if (v == 0 && !allowZero) {
                if (d >= x.shape.length) {
                    throw error("Reshape copies dimension " + d + " of " + Arrays.toString(x.shape) + ", which does not exist");
                }
                v = x.shape[d];
            }
            if (v == -1) {
                if (minus >= 0) {
                    throw error("Reshape to " + Arrays.toString(spec) + " has two -1 dimensions");
                }
                minus = d;
                continue;
            }
            if (v < 0) {
                throw error("Reshape to " + Arrays.toString(spec) + ": negative dimension " + v);
            }
            s[d] = v;
            known = Math.multiplyExact(known, v);
        }
        long total = count(x.shape);
        if (minus >= 0) {
            if (known == 0 || total % known != 0) {
                throw error("cannot reshape " + Arrays.toString(x.shape) + " to " + Arrays.toString(spec));
            }
            s[minus] = total / known;
        } else if (known != total) {
            throw error("cannot reshape " + Arrays.toString(x.shape) + " to " + Arrays.toString(spec));
        }
        put(alias(x, s));
    }

    private long[] axesOf(int inputIndex) {
        return opset >= 13 ? constInts(inputIndex, "axes") : attrInts("axes");
    }

    private void unsqueeze() {
        V x = req(0);
        long[] axes = axesOf(1);
        if (axes == null) {
            throw error("Unsqueeze without axes");
        }
        int r = x.shape.length + axes.length;
        boolean[] at = new boolean[r];
        for (long a : axes) {
            int d = axis(a, r);
            if (at[d]) {
                throw error("Unsqueeze axis " + a + " repeated");
            }
            at[d] = true;
        }
        long[] s = new long[r];
        for (int d = 0, p = 0; d < r; d++) {
            s[d] = at[d] ? 1 : x.shape[p++];
        }
        put(alias(x, s));
    }

    private void squeeze() {
        V x = req(0);
        long[] axes = axesOf(1);
        int r = x.shape.length;
        boolean[] drop = new boolean[r];
        for (int d = 0; d < r; d++) {
            drop[d] = axes == null && x.shape[d] == 1;
        }
        if (axes != null) {
            for (long a : axes) {
                int d = axis(a, r);
                if (x.shape[d] != 1) {
                    throw error("Squeeze axis " + a + " of shape " + Arrays.toString(x.shape) + " is not 1");
                }
                drop[d] = true;
            }
        }
        List<Long> s = new ArrayList<>();
        for (int d = 0; d < r; d++) {
            if (!drop[d]) {
                s.add(x.shape[d]);
            }
        }
        put(alias(x, s.stream().mapToLong(Long::longValue).toArray()));
    }

    private void transpose() {
        V x = req(0);
        int r = x.shape.length;
        long[] p = attrInts("perm");
        int[] perm = new int[r];
        boolean[] seen = new boolean[r];
        for (int d = 0; d < r; d++) {
            perm[d] = p == null || p.length == 0 ? r - 1 - d : axis(p[d], r);
            if (seen[perm[d]]) {
                throw error("perm " + Arrays.toString(p) + " is not a permutation");
            }
            seen[perm[d]] = true;
        }
        if (p != null && p.length != 0 && p.length != r) {
            throw error("perm " + Arrays.toString(p) + " does not match rank " + r);
        }
        checkRuntimeType(x, inName(0));
        put(permute(x, perm, inName(0)));
    }

    private void checkRuntimeType(V x, String name) {
        if (x.t == T.D) {
            slotOf(x, name);
        }
    }

    private void concatOp() {
        List<V> xs = new ArrayList<>();
        for (int k = 0; k < node.inputs().size(); k++) {
            xs.add(req(k));
        }
        int r = xs.get(0).shape.length;
        int a = axis(attrInt("axis", 0), r);
        long[] out = xs.get(0).shape.clone();
        out[a] = 0;
        for (V x : xs) {
            if (x.shape.length != r || x.t != xs.get(0).t) {
                throw error("Concat of tensors of different ranks or types");
            }
            for (int d = 0; d < r; d++) {
                if (d != a && x.shape[d] != out[d]) {
                    throw error("Concat of shapes that differ off axis " + a);
                }
            }
            out[a] += x.shape[a];
        }
        long[] ost = dense(out);
        List<Piece> pieces = new ArrayList<>();
        long at = 0;
        for (int k = 0; k < xs.size(); k++) {
            V x = xs.get(k);
            checkRuntimeType(x, inName(k));
            pieces.add(new Piece(x, inName(k), x.shape, 0, dense(x.shape), at * ost[a], ost));
            at += x.shape[a];
        }
        put(copies(out, xs.get(0).t == T.F, pieces));
    }

    private void slice() {
        V x = req(0);
        int r = x.shape.length;
        long[] starts, ends, axes, stepsIn;
        if (opset < 10) {
            starts = attrInts("starts");
            ends = attrInts("ends");
            axes = attrInts("axes");
            stepsIn = null;
        } else {
            starts = constInts(1, "starts");
            ends = constInts(2, "ends");
            axes = constInts(3, "axes");
            stepsIn = constInts(4, "steps");
        }
        if (starts == null || ends == null || starts.length != ends.length) {
            throw error("Slice needs starts and ends of one length");
        }
        long[] begin = new long[r], step = new long[r], len = x.shape.clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int d = axes == null ? k : axis(axes[k], r);
            long dim = x.shape[d];
            long st = stepsIn == null ? 1 : stepsIn[k];
            if (st == 0) {
                throw error("Slice step 0");
            }
            long s = starts[k], e = ends[k];
            s = s < 0 ? s + dim : s;
            e = e < 0 ? e + dim : e;
            long n;
            if (st > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
                n = e > s ? (e - s + st - 1) / st : 0;
            } else {
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
                n = s > e ? (s - e + (-st) - 1) / (-st) : 0;
            }
            begin[d] = s;
            step[d] = st;
            len[d] = n;
        }
        long[] st = dense(x.shape);
        long off = 0;
        long[] ins = new long[r];
        for (int d = 0; d < r; d++) {
            if (len[d] > 0) {
                off += begin[d] * st[d];
            }
            ins[d] = st[d] * step[d];
        }
        checkRuntimeType(x, inName(0));
        put(copies(len, x.t == T.F, List.of(whole(x, inName(0), len, ins, off))));
    }

    private void expand() {
        V x = req(0);
        long[] target = constInts(1, "the shape");
        long[] out = broadcast(x.shape, target);
        checkRuntimeType(x, inName(0));
        put(copies(out, x.t == T.F, List.of(whole(x, inName(0), out, bstrides(x.shape, out), 0))));
    }

    private void gather() {
        V data = req(0), idx = req(1);
        if (idx.t != T.I) {
            throw error("Gather indices must be integers");
        }
        int r = data.shape.length;
        int a = axis(attrInt("axis", 0), r);
        long outer = count(Arrays.copyOfRange(data.shape, 0, a)), axisLen = data.shape[a];
        long inner = count(Arrays.copyOfRange(data.shape, a + 1, r)), cnt = count(idx.shape);
        long[] out = new long[r - 1 + idx.shape.length];
        System.arraycopy(data.shape, 0, out, 0, a);
        System.arraycopy(idx.shape, 0, out, a, idx.shape.length);
        System.arraycopy(data.shape, a + 1, out, a + idx.shape.length, r - a - 1);
        if (idx.ci != null) {
            for (long v : idx.ci) {
                if (v < -axisLen || v >= axisLen) {
                    throw error("Gather index " + v + " is outside [" + (-axisLen) + ", " + axisLen + ") of axis " + a + " of " + inName(0));
                }
            }
        }
        if (data.t == T.I && data.ci != null && idx.ci != null) {
            long[] res = new long[(int) count(out)];
            for (long o = 0; o < outer; o++) {
                for (long j = 0; j < cnt; j++) {
                    long k = idx.ci[(int) j] < 0 ? idx.ci[(int) j] + axisLen : idx.ci[(int) j];
                    for (long i = 0; i < inner; i++) {
                        res[(int) ((o * cnt + j) * inner + i)] = data.ci[(int) ((o * axisLen + k) * inner + i)];
                    }
                }
            }
            put(intConst(out, res));
            return;
        }
        checkRuntimeType(data, inName(0));
        V res = act(outName(), out, data.t == T.F);
        emit(new Step.Gather(slotOf(data, inName(0)), slotOf(idx, inName(1)), res.slot, outer, axisLen, inner, cnt));
        put(constInts(res));
    }

    private void cast() {
        V x = req(0);
        int to = (int) attrInt("to", 0);
        switch (to) {
            case OnnxGraph.FLOAT -> {
                if (x.t == T.F) {
                    put(x);
                } else if (x.t == T.D) {
                    float[] f = new float[x.cd.length];
                    for (int k = 0; k < f.length; k++) {
                        f[k] = (float) x.cd[k];
                    }
                    put(floatConst(outName(), x.shape, f));
                } else if (x.ci != null) {
                    float[] f = new float[x.ci.length];
                    for (int k = 0; k < f.length; k++) {
                        f[k] = (float) x.ci[k];
                    }
                    put(floatConst(outName(), x.shape, f));
                } else {
                    V out = act(outName(), x.shape, true);
                    emit(new Step.Cast(Step.CastOp.INT_TO_FLOAT, x.slot, out.slot, count(x.shape)));
                    put(out);
                }
            }
            case OnnxGraph.INT64, OnnxGraph.INT32, OnnxGraph.INT16, OnnxGraph.INT8, OnnxGraph.UINT8, OnnxGraph.UINT16,
                 OnnxGraph.UINT32, OnnxGraph.BOOL -> {
                if (x.t == T.I && x.ci == null) {
                    if (to == OnnxGraph.INT64 || to == OnnxGraph.INT32) {
                        put(x); // run-time integers are int32 already
                        return;
                    }
                    throw unsupported("a run-time cast of integers to " + OnnxGraph.typeName(to));
                }
                if (isConst(x)) {
                    long[] l = new long[(int) count(x.shape)];
                    for (int k = 0; k < l.length; k++) {
                        double v = x.t == T.I ? x.ci[k] : x.t == T.D ? x.cd[k] : floats(x)[k];
                        long iv = x.t == T.I ? x.ci[k] : (long) v;
                        l[k] = switch (to) {
                            case OnnxGraph.BOOL -> v != 0 ? 1 : 0;
                            case OnnxGraph.INT32 -> (int) iv;
                            case OnnxGraph.INT16 -> (short) iv;
                            case OnnxGraph.INT8 -> (byte) iv;
                            case OnnxGraph.UINT8 -> iv & 0xff;
                            case OnnxGraph.UINT16 -> iv & 0xffff;
                            case OnnxGraph.UINT32 -> iv & 0xffffffffL;
                            default -> iv;
                        };
                    }
                    put(intConst(x.shape, l));
                    return;
                }
                if (to == OnnxGraph.BOOL) {
                    throw unsupported("a run-time cast of floats to bool");
                }
                if (to != OnnxGraph.INT64 && to != OnnxGraph.INT32) {
                    throw unsupported("a run-time cast of floats to " + OnnxGraph.typeName(to));
                }
                V out = act(outName(), x.shape, false);
                emit(new Step.Cast(Step.CastOp.FLOAT_TO_INT, x.slot, out.slot, count(x.shape)));
                put(out);
            }
            case OnnxGraph.DOUBLE -> {
                if (!isConst(x)) {
                    throw error("a cast to float64 at run time; autospec computes in float32 only");
                }
                V v = new V(x.shape, T.D);
                v.cd = new double[(int) count(x.shape)];
                for (int k = 0; k < v.cd.length; k++) {
                    v.cd[k] = x.t == T.I ? x.ci[k] : x.t == T.D ? x.cd[k] : floats(x)[k];
                }
                put(v);
            }
            default -> throw unsupported("a cast to " + OnnxGraph.typeName(to));
        }
    }

    private void range() {
        V s = req(0), l = req(1), d = req(2);
        if (!isConst(s) || !isConst(l) || !isConst(d)) {
            throw unsupported("Range of tensors not known when the plan is built");
        }
        if (s.t == T.I) {
            long start = s.ci[0], limit = l.ci[0], delta = d.ci[0];
            if (delta == 0) {
                throw error("Range with delta 0");
            }
            long n = Math.max(0, (long) Math.ceil((double) (limit - start) / delta));
            long[] r = new long[(int) n];
            for (int k = 0; k < n; k++) {
                r[k] = start + k * delta;
            }
            put(intConst(new long[] {n}, r));
        } else if (s.t == T.F) {
            float start = floats(s)[0], limit = floats(l)[0], delta = floats(d)[0];
            long n = Math.max(0, (long) Math.ceil((limit - start) / delta));
            float[] r = new float[(int) n];
            for (int k = 0; k < n; k++) {
                r[k] = start + k * delta;
            }
            put(floatConst(outName(), new long[] {n}, r));
        } else {
            throw unsupported("Range over float64");
        }
    }
}
