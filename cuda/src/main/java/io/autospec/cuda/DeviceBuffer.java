package io.autospec.cuda;

/**
 * A reusable device buffer: kept from launch to launch and grown geometrically ({@link Growth}) when a
 * launch needs more. Growing does not keep the old contents.
 */
final class DeviceBuffer {
    private final DeviceHeap heap;
    private final String what;
    private DeviceMemory memory;

    DeviceBuffer(DeviceHeap heap, String what) {
        this.heap = heap;
        this.what = what;
    }

    /** The buffer, at least {@code bytes} long. @throws DeviceOutOfMemoryException if that does not fit */
    DeviceMemory ensure(long bytes) {
        if (memory != null && memory.bytes >= bytes) return memory;
        long current = memory == null ? 0 : memory.bytes;
        long cap = Growth.capacity(current, Math.max(bytes, 1), heap.available(current));
        release();
        try {
            memory = heap.allocate(cap, what);
        } catch (DeviceOutOfMemoryException e) {
            if (cap <= bytes) throw e;
            memory = heap.allocate(bytes, what); // no room to grow ahead: exactly what is needed
        }
        return memory;
    }

    /** The current allocation, or null. */
    DeviceMemory memory() {
        return memory;
    }

    long capacity() {
        return memory == null ? 0 : memory.bytes;
    }

    /** Gives the memory back (to make room); the next {@link #ensure} allocates again. */
    void release() {
        if (memory != null) {
            heap.free(memory);
            memory = null;
        }
    }
}
