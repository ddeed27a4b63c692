package io.autospec.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A device that only does bookkeeping: allocations up to a capacity (then out of memory), copies and
 * launches recorded but not executed. For testing memory discipline and packing without kernels.
 */
final class CountingDevice implements Device {
    final long capacity;
    long inUse, allocations, uploadedBytes;
    int live;
    final List<String> launched = new ArrayList<>();
    private long next = 0x1000;

    CountingDevice(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public String describe() {
        return "counting device";
    }

    @Override
    public long[] memoryInfo() {
        return new long[] {capacity - inUse, capacity};
    }

    @Override
    public DeviceMemory allocate(long bytes) {
        if (inUse + bytes > capacity) throw new DeviceOutOfMemoryException("counting device full");
        inUse += bytes;
        allocations++;
        live++;
        DeviceMemory m = new DeviceMemory(next, bytes, null);
        next += (bytes + 255) / 256 * 256;
        return m;
    }

    @Override
    public void free(DeviceMemory memory) {
        inUse -= memory.bytes;
        live--;
    }

    @Override
    public HostBuffer allocateHost(long bytes) {
        live++;
        return new HostBuffer(ByteBuffer.allocate((int) bytes), bytes, null);
    }

    @Override
    public void freeHost(HostBuffer buffer) {
        live--;
    }

    @Override
    public void upload(DeviceMemory dst, long dstOffset, HostBuffer src, long srcOffset, long bytes) {
        if (dstOffset + bytes > dst.bytes) throw new IllegalArgumentException("upload past the end of " + dst);
        uploadedBytes += bytes;
    }

    @Override
    public void download(HostBuffer dst, long dstOffset, DeviceMemory src, long srcOffset, long bytes) {
        if (srcOffset + bytes > src.bytes) throw new IllegalArgumentException("download past the end of " + src);
    }

    @Override
    public void launch(String kernel, int grid, int block, ByteBuffer args) {
        launched.add(kernel);
    }

    @Override
    public void synchronize() {}

    @Override
    public void bind() {}

    @Override
    public void close() {}
}
