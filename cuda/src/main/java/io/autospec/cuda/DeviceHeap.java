package io.autospec.cuda;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Every device and pinned host allocation of one backend goes through its heap: it enforces the
 * backend's device-memory budget (an allocation past it fails like a full device, so the backend
 * splits the launch), counts what is in use, and frees whatever is left when closed.
 */
final class DeviceHeap implements AutoCloseable {
    private final Device device;
    private final long budget;
    private long inUse;
    private long peak;
    private long allocations;
    private final Set<DeviceMemory> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<HostBuffer> liveHost = Collections.newSetFromMap(new IdentityHashMap<>());

    DeviceHeap(Device device, long budget) {
        if (budget < 1) throw new IllegalArgumentException("device memory budget must be positive, got " + budget);
        this.device = device;
        this.budget = budget;
    }

    Device device() {
        return device;
    }

    /** @throws DeviceOutOfMemoryException past the budget or when the device is full */
    DeviceMemory allocate(long bytes, String what) {
        if (bytes < 1) throw new IllegalArgumentException(what + ": allocation of " + bytes + " bytes");
        if (bytes > budget - inUse) {
            throw new DeviceOutOfMemoryException(what + ": " + bytes + " bytes exceed the device memory budget ("
                    + inUse + " of " + budget + " bytes in use)");
        }
        DeviceMemory m;
        try {
            m = device.allocate(bytes);
        } catch (DeviceOutOfMemoryException e) {
            throw new DeviceOutOfMemoryException(what + ": " + e.getMessage());
        }
        live.add(m);
        inUse += bytes;
        peak = Math.max(peak, inUse);
        allocations++;
        return m;
    }

    void free(DeviceMemory m) {
        if (m != null && live.remove(m)) {
            inUse -= m.bytes;
            device.free(m);
        }
    }

    HostBuffer allocateHost(long bytes, String what) {
        HostBuffer b = device.allocateHost(bytes);
        liveHost.add(b);
        return b;
    }

    void freeHost(HostBuffer b) {
        if (b != null && liveHost.remove(b)) device.freeHost(b);
    }

    /** Bytes a buffer may grow to now, counting the {@code own} bytes it would give back. */
    long available(long own) {
        return budget - inUse + own;
    }

    long budget() {
        return budget;
    }

    long inUse() {
        return inUse;
    }

    long peak() {
        return peak;
    }

    /** Device allocations made so far (growth events included). */
    long allocations() {
        return allocations;
    }

    int liveAllocations() {
        return live.size() + liveHost.size();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (DeviceMemory m : live.toArray(new DeviceMemory[0])) {
            try {
                free(m);
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        for (HostBuffer b : liveHost.toArray(new HostBuffer[0])) {
            try {
                freeHost(b);
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        live.clear();
        liveHost.clear();
        inUse = 0;
        if (first != null) throw first;
    }
}
