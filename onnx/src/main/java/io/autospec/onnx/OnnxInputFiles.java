package io.autospec.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every file an ONNX model reads besides the model file: the tensors stored as external data (each
 * names a {@code location} relative to the model's directory) and the vocabulary sidecar
 * {@code MODEL.vocab}. A small protobuf scan of the paths that can hold tensors (initializers,
 * sparse initializers, node attributes, subgraphs and functions), so an output check can refuse to
 * overwrite a model's weights without loading the model.
 */
final class OnnxInputFiles {
    // Field numbers of onnx.proto3.
    private static final int MODEL_GRAPH = 7, MODEL_FUNCTIONS = 25;
    private static final int GRAPH_NODE = 1, GRAPH_INITIALIZER = 5, GRAPH_SPARSE_INITIALIZER = 15;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int FUNCTION_NODE = 7;
    private static final int ATTR_T = 5, ATTR_G = 6, ATTR_TENSORS = 10, ATTR_GRAPHS = 11, ATTR_SPARSE = 22, ATTR_SPARSES = 23;
    private static final int SPARSE_VALUES = 1, SPARSE_INDICES = 2;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int ENTRY_KEY = 1, ENTRY_VALUE = 2;
    private static final int MAX_DEPTH = 64; // subgraphs nest; a hostile file must not recurse without end

    private OnnxInputFiles() {}

    /**
     * {@return the existing files the model at {@code model} reads besides itself}; an unreadable or
     * malformed file lists only its sidecar (opening the model then reports what is wrong).
     */
    static List<Path> of(Path model) {
        Set<Path> files = new LinkedHashSet<>();
        Path dir = model.toAbsolutePath().getParent();
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > 0 && size < Integer.MAX_VALUE) {
                ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
                Set<String> locations = new LinkedHashSet<>();
                new Scan(buf, locations).model(0, (int) size);
                for (String loc : locations) {
                    try {
                        Path p = dir.resolve(loc).normalize();
                        if (Files.isRegularFile(p)) files.add(p);
                    } catch (java.nio.file.InvalidPathException e) {
                        // not a file name: opening the model says so
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or not protobuf: the model's own loading reports it
        }
        Path sidecar = model.resolveSibling(model.getFileName() + ".vocab");
        if (Files.isRegularFile(sidecar)) files.add(sidecar);
        return new ArrayList<>(files);
    }

    /** A reader of protobuf wire format over buf[from, to). */
    private static final class Scan {
        private final ByteBuffer buf;
        private final Set<String> locations;
        private int pos;

        Scan(ByteBuffer buf, Set<String> locations) {
            this.buf = buf;
            this.locations = locations;
        }

        private long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf.get(pos++);
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) return v;
            }
            throw new IllegalStateException("bad varint");
        }

        /** Calls {@code field} for each length-delimited field of the message at [from, to), skipping the rest. */
        private void fields(int from, int to, Field field) {
            pos = from;
            while (pos < to) {
                long tag = varint();
                int number = (int) (tag >>> 3), wire = (int) (tag & 7);
                switch (wire) {
                    case 0 -> varint();
                    case 1 -> pos += 8;
                    case 5 -> pos += 4;
                    case 2 -> {
                        long len = varint();
                        if (len < 0 || len > to - pos) throw new IllegalStateException("bad length");
                        int start = pos, end = pos + (int) len;
                        field.at(number, start, end);
                        pos = end;
                    }
                    default -> throw new IllegalStateException("bad wire type " + wire);
                }
            }
        }

        interface Field {
            void at(int number, int from, int to);
        }

        void model(int from, int to) {
            fields(from, to, (f, a, b) -> {
                if (f == MODEL_GRAPH) graph(a, b, 0);
                else if (f == MODEL_FUNCTIONS) fields(a, b, (g, c, d) -> { if (g == FUNCTION_NODE) node(c, d, 1); });
            });
        }

        private void graph(int from, int to, int depth) {
            if (depth > MAX_DEPTH) return;
            fields(from, to, (f, a, b) -> {
                if (f == GRAPH_INITIALIZER) tensor(a, b);
                else if (f == GRAPH_SPARSE_INITIALIZER) sparse(a, b);
                else if (f == GRAPH_NODE) node(a, b, depth);
            });
        }

        private void node(int from, int to, int depth) {
            fields(from, to, (f, a, b) -> { if (f == NODE_ATTRIBUTE) attribute(a, b, depth); });
        }

        private void attribute(int from, int to, int depth) {
            fields(from, to, (f, a, b) -> {
                if (f == ATTR_T || f == ATTR_TENSORS) tensor(a, b);
                else if (f == ATTR_G || f == ATTR_GRAPHS) graph(a, b, depth + 1);
                else if (f == ATTR_SPARSE || f == ATTR_SPARSES) sparse(a, b);
            });
        }

        private void sparse(int from, int to) {
            fields(from, to, (f, a, b) -> { if (f == SPARSE_VALUES || f == SPARSE_INDICES) tensor(a, b); });
        }

        private void tensor(int from, int to) {
            fields(from, to, (f, a, b) -> { if (f == TENSOR_EXTERNAL_DATA) entry(a, b); });
        }

        private void entry(int from, int to) {
            String[] kv = new String[2];
            fields(from, to, (f, a, b) -> {
                if (f == ENTRY_KEY || f == ENTRY_VALUE) kv[f - 1] = string(a, b);
            });
            if ("location".equals(kv[0]) && kv[1] != null && !kv[1].isEmpty()) locations.add(kv[1]);
        }

        private String string(int from, int to) {
            byte[] bytes = new byte[to - from];
            buf.get(from, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
