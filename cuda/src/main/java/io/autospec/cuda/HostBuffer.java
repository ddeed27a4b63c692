package io.autospec.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A page-locked (pinned) host staging buffer with a little-endian view, and the device's handle for it. */
final class HostBuffer {
    final ByteBuffer buffer;
    final long bytes;
    final Object handle;

    HostBuffer(ByteBuffer buffer, long bytes, Object handle) {
        this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
        this.bytes = bytes;
        this.handle = handle;
    }
}
