package io.autospec.nn;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds small ONNX models in the protobuf wire format for tests (field numbers of onnx.proto). */
final class OnnxWriter {
    private int opset = 13;
    private final List<byte[]> nodes = new ArrayList<>(), inits = new ArrayList<>(), inputs = new ArrayList<>(), outputs = new ArrayList<>();
    private int nodeCount;

    /** An attribute, already encoded. */
    record Attr(byte[] bytes) {}

    OnnxWriter opset(int v) {
        opset = v;
        return this;
    }

    /** A graph input; a dim of -1 is dynamic ("batch"). */
    OnnxWriter input(String name, int type, long... dims) {
        inputs.add(valueInfo(name, type, dims));
        return this;
    }

    /** A graph output (no shape declared when dims is null). */
    OnnxWriter output(String name, int type, long... dims) {
        outputs.add(valueInfo(name, type, dims));
        return this;
    }

    OnnxWriter init(String name, long[] dims, float[] data) {
        inits.add(tensor(name, OnnxGraph.FLOAT, dims, data, null, -1, null));
        return this;
    }

    OnnxWriter initInts(String name, int type, long[] dims, long... data) {
        inits.add(tensor(name, type, dims, null, data, -1, null));
        return this;
    }

    /** An initializer whose bytes live in {@code location} at {@code offset}. */
    OnnxWriter initExternal(String name, long[] dims, String location, long offset, long length) {
        inits.add(tensor(name, OnnxGraph.FLOAT, dims, null, null, 0, new String[] {location, Long.toString(offset), Long.toString(length)}));
        return this;
    }

    /** An initializer encoded with raw_data instead of float_data. */
    OnnxWriter initRaw(String name, long[] dims, float[] data) {
        inits.add(tensor(name, OnnxGraph.FLOAT, dims, data, null, 1, null));
        return this;
    }

    OnnxWriter node(String op, String[] ins, String[] outs, Attr... attrs) {
        nodes.add(msg(o -> {
            for (String s : ins) {
                o.writeString(1, s);
            }
            for (String s : outs) {
                o.writeString(2, s);
            }
            o.writeString(3, op + "_" + (nodeCount++));
            o.writeString(4, op);
            for (Attr a : attrs) {
                o.writeByteArray(5, a.bytes());
            }
        }));
        return this;
    }

    OnnxWriter node(String op, String in, String out, Attr... attrs) {
        return node(op, new String[] {in}, new String[] {out}, attrs);
    }

    static Attr ai(String name, long v) {
        return new Attr(msg(o -> {
            o.writeString(1, name);
            o.writeInt64(3, v);
            o.writeInt32(20, 2);
        }));
    }

    static Attr af(String name, float v) {
        return new Attr(msg(o -> {
            o.writeString(1, name);
            o.writeFloat(2, v);
            o.writeInt32(20, 1);
        }));
    }

    static Attr ints(String name, long... v) {
        return new Attr(msg(o -> {
            o.writeString(1, name);
            for (long x : v) {
                o.writeInt64(8, x);
            }
            o.writeInt32(20, 7);
        }));
    }

    static Attr as(String name, String v) {
        return new Attr(msg(o -> {
            o.writeString(1, name);
            o.writeBytes(4, ByteString.copyFromUtf8(v));
            o.writeInt32(20, 3);
        }));
    }

    /** A tensor attribute (Constant's value). */
    static Attr at(String name, int type, long[] dims, float[] f, long[] l) {
        return new Attr(msg(o -> {
            o.writeString(1, name);
            o.writeByteArray(5, tensor("", type, dims, f, l, -1, null));
            o.writeInt32(20, 4);
        }));
    }

    /** A float64 tensor attribute (double_data, packed). */
    static Attr atDoubles(String name, long[] dims, double... d) {
        return new Attr(msg(o -> {
            o.writeString(1, name);
            o.writeByteArray(5, msg(t -> {
                for (long x : dims) {
                    t.writeInt64(1, x);
                }
                t.writeInt32(2, OnnxGraph.DOUBLE);
                t.writeByteArray(10, msg(p -> {
                    for (double x : d) {
                        p.writeDoubleNoTag(x);
                    }
                }));
            }));
            o.writeInt32(20, 4);
        }));
    }

    byte[] bytes() {
        return msg(o -> {
            o.writeInt64(1, 8); // ir_version
            o.writeByteArray(7, msg(gr -> {
                for (byte[] n : nodes) {
                    gr.writeByteArray(1, n);
                }
                gr.writeString(2, "test");
                for (byte[] t : inits) {
                    gr.writeByteArray(5, t);
                }
                for (byte[] v : inputs) {
                    gr.writeByteArray(11, v);
                }
                for (byte[] v : outputs) {
                    gr.writeByteArray(12, v);
                }
            }));
            o.writeByteArray(8, msg(op -> {
                op.writeString(1, "");
                op.writeInt64(2, opset);
            }));
            o.writeByteArray(14, msg(kv -> {
                kv.writeString(1, "made.by");
                kv.writeString(2, "OnnxWriter");
            }));
        });
    }

    Path write(Path dir, String name) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, bytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Body {
        void write(CodedOutputStream o) throws IOException;
    }

    private static byte[] msg(Body b) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream o = CodedOutputStream.newInstance(bytes);
            b.write(o);
            o.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] valueInfo(String name, int type, long[] dims) {
        return msg(o -> {
            o.writeString(1, name);
            o.writeByteArray(2, msg(tp -> tp.writeByteArray(1, msg(t -> {
                t.writeInt32(1, type);
                if (dims != null) {
                    t.writeByteArray(2, msg(sh -> {
                        for (long d : dims) {
                            sh.writeByteArray(1, msg(dim -> {
                                if (d < 0) {
                                    dim.writeString(2, "batch");
                                } else {
                                    dim.writeInt64(1, d);
                                }
                            }));
                        }
                    }));
                }
            }))));
        });
    }

    /** raw: -1 typed fields (packed), 1 raw_data, 0 external (ext = location, offset, length). */
    private static byte[] tensor(String name, int type, long[] dims, float[] f, long[] l, int raw, String[] ext) {
        return msg(o -> {
            for (long d : dims) {
                o.writeInt64(1, d);
            }
            o.writeInt32(2, type);
            o.writeString(8, name);
            if (ext != null) {
                String[] keys = {"location", "offset", "length"};
                for (int k = 0; k < 3; k++) {
                    final int kk = k;
                    o.writeByteArray(13, msg(kv -> {
                        kv.writeString(1, keys[kk]);
                        kv.writeString(2, ext[kk]);
                    }));
                }
                o.writeInt32(14, 1);
            } else if (raw == 1) {
                ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : f) {
                    b.putFloat(x);
                }
                o.writeByteArray(9, b.array());
            } else if (f != null) {
                o.writeByteArray(4, msg(p -> {
                    for (float x : f) {
                        p.writeFloatNoTag(x);
                    }
                }));
            } else if (type == OnnxGraph.INT64) {
                o.writeByteArray(7, msg(p -> {
                    for (long x : l) {
                        p.writeInt64NoTag(x);
                    }
                }));
            } else {
                o.writeByteArray(5, msg(p -> {
                    for (long x : l) {
                        p.writeInt32NoTag((int) x);
                    }
                }));
            }
        });
    }
}
