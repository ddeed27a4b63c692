package io.autospec.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes one kernel argument struct (kernels/*_kernels.cuh) field by field in declaration order,
 * little-endian, checking natural alignment, and finally its size against the C struct's (the C
 * headers assert the same sizes, and the host emulator checks them per launch).
 */
final class KernelArgs implements io.autospec.cuda.spi.ArgWriter {
    private final ByteBuffer buf = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    private String kernel;
    private int size;

    /** Starts the struct of {@code kernel}, {@code size} bytes. */
    KernelArgs begin(String kernel, int size) {
        this.kernel = kernel;
        this.size = size;
        buf.clear();
        return this;
    }

    @Override
    public KernelArgs i64(long v) {
        align8();
        buf.putLong(v);
        return this;
    }

    @Override
    public KernelArgs f64(double v) {
        align8();
        buf.putDouble(v);
        return this;
    }

    /** A device pointer: the allocation's address plus a byte offset; 0 (NULL) for null memory. */
    KernelArgs ptr(DeviceMemory m, long offset) {
        return i64(m == null ? 0 : m.address + offset);
    }

    @Override
    public KernelArgs i32(int v) {
        buf.putInt(v);
        return this;
    }

    @Override
    public KernelArgs f32(float v) {
        buf.putFloat(v);
        return this;
    }

    private void align8() {
        if ((buf.position() & 7) != 0) {
            throw new IllegalStateException("misaligned 8-byte field at offset " + buf.position() + " of " + kernel + "'s arguments");
        }
    }

    /** The finished struct (position 0, limit = size). */
    ByteBuffer end() {
        if (buf.position() != size) {
            throw new IllegalStateException(kernel + "'s arguments are " + buf.position() + " bytes, the C struct has " + size);
        }
        buf.flip();
        return buf;
    }

    String kernel() {
        return kernel;
    }
}
