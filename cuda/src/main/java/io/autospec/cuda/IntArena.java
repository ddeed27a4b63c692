package io.autospec.cuda;

import java.util.IdentityHashMap;

/**
 * A device arena of int32 entries keyed by object identity, so data that does not change is uploaded
 * once: an order's tree (keyed by the {@code Order}) or a branch family's pinned values (keyed by the
 * storage array, whose first {@code uploaded} values never change once written, see
 * {@code Branch}). Entries are appended until the arena is full; then everything is forgotten at
 * once ({@link #reset}) and re-uploaded on demand, which bounds device and host memory across runs.
 */
final class IntArena<K> {
    /** One entry: where it lives, how many ints it may hold, how many are on the device. */
    static final class Entry {
        final int offset;
        final int reserved;
        int uploaded;

        Entry(int offset, int reserved) {
            this.offset = offset;
            this.reserved = reserved;
        }
    }

    private final DeviceBuffer buffer;
    private final IdentityHashMap<K, Entry> entries = new IdentityHashMap<>();
    private long capacity; // ints
    private long used;
    private long resets;

    IntArena(DeviceHeap heap, String what) {
        this.buffer = new DeviceBuffer(heap, what);
    }

    Entry get(K key) {
        return entries.get(key);
    }

    /** A new entry of {@code ints} ints, or null when the arena is full. */
    Entry add(K key, int ints) {
        if (used + ints > capacity) return null;
        Entry e = new Entry((int) used, ints);
        used += ints;
        entries.put(key, e);
        return e;
    }

    /** Forgets every entry (the device memory stays allocated for reuse). */
    void reset() {
        if (!entries.isEmpty()) resets++;
        entries.clear();
        used = 0;
    }

    /**
     * Makes room for at least {@code ints} ints after a {@link #reset} (growing forgets the contents).
     * @throws DeviceOutOfMemoryException when that does not fit
     */
    void ensureCapacity(long ints) {
        if (ints > Integer.MAX_VALUE) throw new DeviceOutOfMemoryException("arena of " + ints + " ints exceeds int32 offsets");
        if (ints <= capacity) return;
        reset();
        capacity = 0;
        DeviceMemory m = buffer.ensure(ints * 4);
        capacity = Math.min(m.bytes / 4, Integer.MAX_VALUE);
    }

    /** The device memory (null before the first {@link #ensureCapacity}). */
    DeviceMemory memory() {
        return buffer.memory();
    }

    long capacity() {
        return capacity;
    }

    long used() {
        return used;
    }

    int entries() {
        return entries.size();
    }

    long resets() {
        return resets;
    }

    void release() {
        reset();
        capacity = 0;
        buffer.release();
    }
}
