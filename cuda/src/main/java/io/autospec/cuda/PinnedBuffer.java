package io.autospec.cuda;

import java.nio.ByteBuffer;

/** A reusable page-locked staging buffer, grown geometrically like {@link DeviceBuffer}. */
final class PinnedBuffer {
    private final DeviceHeap heap;
    private final String what;
    private HostBuffer host;

    PinnedBuffer(DeviceHeap heap, String what) {
        this.heap = heap;
        this.what = what;
    }

    /** The staging buffer, at least {@code bytes} long, cleared (position 0, limit = capacity). */
    HostBuffer ensure(long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DeviceOutOfMemoryException(what + ": " + bytes + " bytes of staging exceed one host buffer");
        }
        if (host == null || host.bytes < bytes) {
            long current = host == null ? 0 : host.bytes;
            long cap = Math.min(Growth.capacity(current, Math.max(bytes, 1), Long.MAX_VALUE), Integer.MAX_VALUE - 8);
            release();
            host = heap.allocateHost(cap, what);
        }
        host.buffer.clear();
        return host;
    }

    ByteBuffer buffer() {
        return host.buffer;
    }

    /** {@return whether it holds a host buffer} */
    boolean held() {
        return host != null;
    }

    void release() {
        if (host != null) {
            heap.freeHost(host);
            host = null;
        }
    }
}
