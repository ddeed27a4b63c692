package io.autospec.nn;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model as read from its protobuf wire format (field numbers of onnx.proto; no generated
 * classes): the graph's inputs and outputs, nodes, initializers (external data resolved), opsets and
 * metadata. Integer tensors are held as {@code long[]}, float ones as {@code float[]}, float64 ones as
 * {@code double[]} (the planner decides where those may appear).
 */
public final class OnnxGraph {

    /** ONNX TensorProto.DataType codes this reader knows. */
    public static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7,
            STRING = 8, BOOL = 9, FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13;

    /** A graph input or output: element type, dims (-1 where dynamic, with its {@code dimParams} name). */
    public record ValueInfo(String name, int elemType, long[] dims, String[] dimParams) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(name).append(": ").append(typeName(elemType)).append('[');
            for (int d = 0; d < dims.length; d++) {
                b.append(d > 0 ? ", " : "").append(dims[d] >= 0 ? Long.toString(dims[d]) : dimParams[d] == null ? "?" : dimParams[d]);
            }
            return b.append(']').toString();
        }
    }

    /** A tensor: exactly one of floats, longs (all integer types and bool), doubles is set. */
    public record Tensor(String name, int dataType, long[] dims, float[] floats, long[] longs, double[] doubles) {
        public long elements() {
            return floats != null ? floats.length : longs != null ? longs.length : doubles.length;
        }
    }

    /** One attribute; the fields its {@code type} does not use are 0 or null. */
    public record Attribute(String name, int type, float f, long i, byte[] s, Tensor t, float[] floats, long[] ints) {}

    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {
        public Attribute attribute(String key) {
            return attributes.get(key);
        }
    }

    /** A node outside what the planner implements, and why. */
    public record Unsupported(String op, String node, String why) {}

    private final Path file;
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<Path> externalFiles = new LinkedHashSet<>();

    private OnnxGraph(Path file) {
        this.file = file;
    }

    /**
     * Reads a model file.
     * @throws NnException naming the file when it is missing, a directory, empty, truncated or not an
     *         ONNX protobuf, or holds a tensor of an unknown type, bad dims or external data outside its folder
     */
    public static OnnxGraph read(Path file) {
        if (!Files.exists(file)) {
            throw new NnException("ONNX model " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new NnException("ONNX model " + file + " is a directory, not a model file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NnException("cannot read ONNX model " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new NnException("ONNX model " + file + " is empty");
        }
        OnnxGraph g = new OnnxGraph(file);
        try {
            g.parseModel(CodedInputStream.newInstance(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new NnException("ONNX model " + file + " is truncated or not an ONNX protobuf: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new NnException("cannot read ONNX model " + file + ": " + e.getMessage(), e);
        }
        if (!g.sawGraph) {
            throw new NnException("ONNX model " + file + " has no graph (truncated or not an ONNX protobuf)");
        }
        g.inputs.removeIf(v -> g.initializers.containsKey(v.name()));
        return g;
    }

    public Path file() {
        return file;
    }

    /** The graph inputs a caller feeds (initializers listed as inputs are left out). */
    public List<ValueInfo> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<ValueInfo> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public Map<String, Tensor> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** Opset version per domain ("" is the default ONNX domain). */
    public Map<String, Long> opsets() {
        return Collections.unmodifiableMap(opsets);
    }

    /** The default-domain opset (ai.onnx), or 1 when the model does not say. */
    public int opset() {
        Long v = opsets.get("");
        if (v == null) {
            v = opsets.get("ai.onnx");
        }
        return v == null ? 1 : (int) Math.min(Integer.MAX_VALUE, v);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** The external data files the initializers were read from (absolute, normalised). */
    public List<Path> externalFiles() {
        return List.copyOf(externalFiles);
    }

    /** How often each op occurs, in the order of first occurrence. */
    public LinkedHashMap<String, Integer> opHistogram() {
        LinkedHashMap<String, Integer> h = new LinkedHashMap<>();
        for (Node n : nodes) {
            h.merge(n.opType(), 1, Integer::sum);
        }
        return h;
    }

    /** The nodes whose op (or domain) the planner does not implement; empty when every op is known. */
    public List<Unsupported> unsupported() {
        List<Unsupported> out = new ArrayList<>();
        for (Node n : nodes) {
            String why = Planner.whyUnsupported(n);
            if (why != null) {
                out.add(new Unsupported(n.opType(), n.name(), why));
            }
        }
        return out;
    }

    public static String typeName(int t) {
        return switch (t) {
            case FLOAT -> "float32";
            case UINT8 -> "uint8";
            case INT8 -> "int8";
            case UINT16 -> "uint16";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case STRING -> "string";
            case BOOL -> "bool";
            case FLOAT16 -> "float16";
            case DOUBLE -> "float64";
            case UINT32 -> "uint32";
            case UINT64 -> "uint64";
            case 16 -> "bfloat16";
            default -> "type " + t;
        };
    }

    // ---- wire format ----

    private boolean sawGraph;

    private void parseModel(CodedInputStream in) throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 7 -> {
                    sawGraph = true;
                    parseGraph(sub(in, tag));
                }
                case 8 -> parseOpset(sub(in, tag));
                case 14 -> {
                    String[] kv = parseEntry(sub(in, tag));
                    metadata.put(kv[0], kv[1]);
                }
                default -> in.skipField(tag);
            }
        }
    }

    /** The embedded message of a length-delimited field (refusing a wrong wire type). */
    private CodedInputStream sub(CodedInputStream in, int tag) throws IOException {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw new InvalidProtocolBufferException("field " + WireFormat.getTagFieldNumber(tag) + " has wire type "
                    + WireFormat.getTagWireType(tag) + " where a message was expected");
        }
        return in.readBytes().newCodedInput();
    }

    private String string(CodedInputStream in, int tag) throws IOException {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw new InvalidProtocolBufferException("field " + WireFormat.getTagFieldNumber(tag) + " is not a string");
        }
        return in.readStringRequireUtf8();
    }

    private void parseOpset(CodedInputStream in) throws IOException {
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = string(in, tag);
                case 2 -> version = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        opsets.put(domain, version);
    }

    private String[] parseEntry(CodedInputStream in) throws IOException {
        String[] kv = {"", ""};
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> kv[0] = string(in, tag);
                case 2 -> kv[1] = string(in, tag);
                default -> in.skipField(tag);
            }
        }
        return kv;
    }

    private void parseGraph(CodedInputStream in) throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(parseNode(sub(in, tag)));
                case 5 -> {
                    Tensor t = parseTensor(sub(in, tag), "initializer");
                    initializers.put(t.name(), t);
                }
                case 11 -> inputs.add(parseValueInfo(sub(in, tag)));
                case 12 -> outputs.add(parseValueInfo(sub(in, tag)));
                default -> in.skipField(tag);
            }
        }
    }

    private Node parseNode(CodedInputStream in) throws IOException {
        List<String> ins = new ArrayList<>(), outs = new ArrayList<>();
        String name = "", op = "", domain = "";
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> ins.add(string(in, tag));
                case 2 -> outs.add(string(in, tag));
                case 3 -> name = string(in, tag);
                case 4 -> op = string(in, tag);
                case 5 -> {
                    Attribute a = parseAttribute(sub(in, tag));
                    attrs.put(a.name(), a);
                }
                case 7 -> domain = string(in, tag);
                default -> in.skipField(tag);
            }
        }
        if (name.isEmpty()) {
            name = op + "_" + nodes.size();
        }
        return new Node(name, op, domain, List.copyOf(ins), List.copyOf(outs), Collections.unmodifiableMap(attrs));
    }

    private Attribute parseAttribute(CodedInputStream in) throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        byte[] s = null;
        Tensor t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = string(in, tag);
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readInt64();
                case 4 -> s = in.readBytes().toByteArray();
                case 5 -> t = parseTensor(sub(in, tag), "attribute tensor");
                case 7 -> readFloats(in, tag, floats);
                case 8 -> readVarints(in, tag, ints);
                case 20 -> type = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return new Attribute(name, type, f, i, s, t, floats.toArray(), ints.toArray());
    }

    private ValueInfo parseValueInfo(CodedInputStream in) throws IOException {
        String name = "";
        int elemType = 0;
        List<Long> dims = new ArrayList<>();
        List<String> params = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = string(in, tag);
                case 2 -> { // TypeProto
                    CodedInputStream type = sub(in, tag);
                    int t2;
                    while ((t2 = type.readTag()) != 0) {
                        if (WireFormat.getTagFieldNumber(t2) != 1) {
                            type.skipField(t2);
                            continue;
                        }
                        CodedInputStream tensor = sub(type, t2); // TypeProto.Tensor
                        int t3;
                        while ((t3 = tensor.readTag()) != 0) {
                            switch (WireFormat.getTagFieldNumber(t3)) {
                                case 1 -> elemType = tensor.readInt32();
                                case 2 -> {
                                    CodedInputStream shape = sub(tensor, t3);
                                    int t4;
                                    while ((t4 = shape.readTag()) != 0) {
                                        if (WireFormat.getTagFieldNumber(t4) != 1) {
                                            shape.skipField(t4);
                                            continue;
                                        }
                                        CodedInputStream dim = sub(shape, t4);
                                        long value = -1;
                                        String param = null;
                                        int t5;
                                        while ((t5 = dim.readTag()) != 0) {
                                            switch (WireFormat.getTagFieldNumber(t5)) {
                                                case 1 -> value = dim.readInt64();
                                                case 2 -> param = string(dim, t5);
                                                default -> dim.skipField(t5);
                                            }
                                        }
                                        dims.add(value);
                                        params.add(param);
                                    }
                                }
                                default -> tensor.skipField(t3);
                            }
                        }
                    }
                }
                default -> in.skipField(tag);
            }
        }
        long[] d = new long[dims.size()];
        for (int k = 0; k < d.length; k++) {
            long v = dims.get(k);
            if (params.get(k) == null && v < 0 && v != -1) {
                throw new NnException("ONNX model " + file + ": " + name + " has a negative dimension " + v);
            }
            if (v > Integer.MAX_VALUE) {
                throw new NnException("ONNX model " + file + ": dimension " + v + " of " + name + " exceeds " + Integer.MAX_VALUE);
            }
            d[k] = params.get(k) != null ? -1 : v;
        }
        return new ValueInfo(name, elemType, d, params.toArray(new String[0]));
    }

    private Tensor parseTensor(CodedInputStream in, String what) throws IOException {
        LongList dims = new LongList();
        int type = 0;
        FloatList floatData = new FloatList();
        LongList intData = new LongList(); // int32_data and int64_data (both varints)
        List<Double> doubleData = new ArrayList<>();
        String name = "";
        ByteString raw = null;
        boolean external = false;
        Map<String, String> ext = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readVarints(in, tag, dims);
                case 2 -> type = in.readInt32();
                case 4 -> readFloats(in, tag, floatData);
                case 5, 7 -> readVarints(in, tag, intData);
                case 8 -> name = string(in, tag);
                case 9 -> raw = in.readBytes();
                case 10 -> {
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        CodedInputStream p = in.readBytes().newCodedInput();
                        while (!p.isAtEnd()) {
                            doubleData.add(p.readDouble());
                        }
                    } else {
                        doubleData.add(in.readDouble());
                    }
                }
                case 13 -> {
                    String[] kv = parseEntry(sub(in, tag));
                    ext.put(kv[0], kv[1]);
                }
                case 14 -> external = in.readInt32() == 1;
                default -> in.skipField(tag);
            }
        }
        String label = what + " '" + name + "'";
        long count = 1;
        long[] d = dims.toArray();
        for (long v : d) {
            if (v < 0) {
                throw new NnException("ONNX model " + file + ": " + label + " has a negative dimension " + v);
            }
            if (v > Integer.MAX_VALUE) {
                throw new NnException("ONNX model " + file + ": dimension " + v + " of " + label + " exceeds " + Integer.MAX_VALUE);
            }
            count *= v;
            if (count > Integer.MAX_VALUE - 8) {
                throw new NnException("ONNX model " + file + ": " + label + " has " + Arrays.toString(d) + " elements, more than an array holds");
            }
        }
        int n = (int) count;
        int width = switch (type) {
            case FLOAT, INT32, UINT32 -> 4;
            case INT64, UINT64, DOUBLE -> 8;
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            default -> throw new NnException("ONNX model " + file + ": " + label + " has data type "
                    + typeName(type) + ", which autospec does not read");
        };
        if (external) {
            raw = ByteString.copyFrom(readExternal(ext, (long) n * width, label));
        }
        if (raw != null && !raw.isEmpty() || external) {
            if (raw.size() != (long) n * width) {
                throw new NnException("ONNX model " + file + ": " + label + " holds " + raw.size() + " bytes of data, "
                        + ((long) n * width) + " expected for dims " + Arrays.toString(d));
            }
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case FLOAT -> {
                    float[] f = new float[n];
                    b.asFloatBuffer().get(f);
                    return new Tensor(name, type, d, f, null, null);
                }
                case DOUBLE -> {
                    double[] x = new double[n];
                    b.asDoubleBuffer().get(x);
                    return new Tensor(name, type, d, null, null, x);
                }
                default -> {
                    long[] l = new long[n];
                    for (int k = 0; k < n; k++) {
                        l[k] = switch (type) {
                            case INT64, UINT64 -> b.getLong();
                            case INT32 -> b.getInt();
                            case UINT32 -> b.getInt() & 0xffffffffL;
                            case INT16 -> b.getShort();
                            case UINT16 -> b.getShort() & 0xffff;
                            case INT8 -> b.get();
                            default -> b.get() & 0xff;
                        };
                    }
                    return new Tensor(name, type, d, null, l, null);
                }
            }
        }
        int have = type == FLOAT ? floatData.size : type == DOUBLE ? doubleData.size() : intData.size;
        if (have != n) {
            throw new NnException("ONNX model " + file + ": " + label + " holds " + have + " values, "
                    + n + " expected for dims " + Arrays.toString(d));
        }
        if (type == FLOAT) {
            return new Tensor(name, type, d, floatData.toArray(), null, null);
        }
        if (type == DOUBLE) {
            return new Tensor(name, type, d, null, null, doubleData.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return new Tensor(name, type, d, null, intData.toArray(), null);
    }

    /** Reads {@code bytes} bytes of external data, refusing a location outside the model's folder. */
    private byte[] readExternal(Map<String, String> ext, long bytes, String label) {
        String location = ext.get("location");
        if (location == null || location.isEmpty()) {
            throw new NnException("ONNX model " + file + ": " + label + " has external data without a location");
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        Path target;
        try {
            Path loc = Path.of(location);
            target = dir.resolve(loc).normalize();
            if (loc.isAbsolute() || !target.startsWith(dir)) {
                throw new NnException("ONNX model " + file + ": external data '" + location + "' of " + label
                        + " lies outside the model's folder " + dir);
            }
            if (!Files.isRegularFile(target)) {
                throw new NnException("ONNX model " + file + ": external data file " + target + " of " + label + " does not exist");
            }
            if (!target.toRealPath().startsWith(dir.toRealPath())) {
                throw new NnException("ONNX model " + file + ": external data '" + location + "' of " + label
                        + " links outside the model's folder " + dir);
            }
        } catch (java.nio.file.InvalidPathException | IOException e) {
            throw new NnException("ONNX model " + file + ": bad external data location '" + location + "' of " + label + ": " + e.getMessage(), e);
        }
        long offset = parseLong(ext.get("offset"), 0, label);
        long length = parseLong(ext.get("length"), bytes, label);
        if (length != bytes) {
            throw new NnException("ONNX model " + file + ": external data of " + label + " has length " + length + ", " + bytes + " expected");
        }
        try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "r")) {
            if (offset < 0 || offset + bytes > f.length()) {
                throw new NnException("ONNX model " + file + ": external data of " + label + " (offset " + offset + ", "
                        + bytes + " bytes) runs past the end of " + target + " (" + f.length() + " bytes)");
            }
            byte[] data = new byte[(int) bytes];
            f.seek(offset);
            f.readFully(data);
            externalFiles.add(target);
            return data;
        } catch (IOException e) {
            throw new NnException("cannot read external data " + target + " of " + file + ": " + e.getMessage(), e);
        }
    }

    private long parseLong(String s, long dflt, String label) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new NnException("ONNX model " + file + ": external data of " + label + " has a bad number '" + s + "'");
        }
    }

    private static void readFloats(CodedInputStream in, int tag, FloatList out) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            CodedInputStream p = in.readBytes().newCodedInput();
            while (!p.isAtEnd()) {
                out.add(p.readFloat());
            }
        } else {
            out.add(in.readFloat());
        }
    }

    private static void readVarints(CodedInputStream in, int tag, LongList out) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            CodedInputStream p = in.readBytes().newCodedInput();
            while (!p.isAtEnd()) {
                out.add(p.readInt64());
            }
        } else {
            out.add(in.readInt64());
        }
    }

    private static final class FloatList {
        float[] a = new float[8];
        int size;

        void add(float v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    private static final class LongList {
        long[] a = new long[8];
        int size;

        void add(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
