package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.models.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files an ONNX model reads besides itself: external data named anywhere a tensor can be
 * (an initializer, a node attribute inside a subgraph) and the vocabulary sidecar.
 */
class OnnxInputFilesTest {
    @TempDir
    Path dir;

    /** Protobuf: a length-delimited field. */
    static byte[] field(int number, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) number << 3 | 2);
        varint(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] field(int number, String s) {
        return field(number, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** TensorProto with a name, a varint field (data_type) and external data at {@code location}. */
    static byte[] externalTensor(String name, String location) {
        byte[] dataType = {(byte) (2 << 3), 1};
        byte[] entry = cat(field(1, "location"), field(2, location));
        byte[] offset = cat(field(1, "offset"), field(2, "0"));
        return cat(field(8, name), dataType, field(13, offset), field(13, entry), new byte[] {(byte) (14 << 3), 1});
    }

    @Test
    void externalDataAndSidecarAreInputs() throws Exception {
        Files.createDirectories(dir.resolve("weights"));
        Path w1 = Files.write(dir.resolve("weights/w1.bin"), new byte[16]);
        Path w2 = Files.write(dir.resolve("w2.bin"), new byte[16]);
        // A subgraph (an If node's attribute g) holding a constant (attribute t) with external data.
        byte[] subgraph = field(1, field(5, cat(field(1, "value"), field(5, externalTensor("c", "w2.bin")))));
        byte[] node = cat(field(4, "If"), field(5, cat(field(1, "then_branch"), field(6, subgraph))));
        byte[] graph = cat(field(1, node), field(2, "g"), field(5, externalTensor("w", "weights/w1.bin")),
                field(5, externalTensor("gone", "missing.bin")));
        byte[] model = cat(new byte[] {(byte) (1 << 3), 8}, field(7, graph));
        Path m = Files.write(dir.resolve("m.onnx"), model);
        Path vocab = Files.writeString(dir.resolve("m.onnx.vocab"), "ab\n");
        Set<Path> got = OnnxInputFiles.of(m).stream().map(Path::normalize).collect(Collectors.toSet());
        assertEquals(Set.of(w1.normalize(), w2.normalize(), vocab.normalize()), got);
        // Through the provider, as the output checks ask: the model file too.
        List<Path> all = ModelSpec.parse("onnx:" + m + ",mask=0").inputFiles();
        assertTrue(all.stream().anyMatch(p -> p.toAbsolutePath().normalize().equals(m.toAbsolutePath().normalize())), all.toString());
        assertTrue(all.stream().anyMatch(p -> p.toAbsolutePath().normalize().equals(w2.normalize())), all.toString());
        assertTrue(all.stream().anyMatch(p -> p.toAbsolutePath().normalize().equals(vocab.normalize())), all.toString());
    }

    @Test
    void garbageListsOnlyTheSidecar() throws Exception {
        Path m = Files.write(dir.resolve("bad.onnx"), new byte[] {(byte) 0xff, (byte) 0xff, 0x07, 0x12});
        assertEquals(List.of(), OnnxInputFiles.of(m));
        assertEquals(List.of(), OnnxInputFiles.of(dir.resolve("none.onnx")));
    }
}
