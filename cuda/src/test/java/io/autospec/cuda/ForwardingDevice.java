package io.autospec.cuda;

import java.nio.ByteBuffer;

/** A device that forwards every call to another: tests override the calls they count or fail. */
class ForwardingDevice implements Device {
    final Device d;

    ForwardingDevice(Device d) {
        this.d = d;
    }

    @Override public String describe() { return d.describe(); }
    @Override public long[] memoryInfo() { return d.memoryInfo(); }
    @Override public DeviceMemory allocate(long bytes) { return d.allocate(bytes); }
    @Override public void free(DeviceMemory memory) { d.free(memory); }
    @Override public HostBuffer allocateHost(long bytes) { return d.allocateHost(bytes); }
    @Override public void freeHost(HostBuffer buffer) { d.freeHost(buffer); }
    @Override public void upload(DeviceMemory dst, long o, HostBuffer src, long so, long n) { d.upload(dst, o, src, so, n); }
    @Override public void download(HostBuffer dst, long o, DeviceMemory src, long so, long n) { d.download(dst, o, src, so, n); }
    @Override public void launch(String kernel, int grid, int block, ByteBuffer args) { d.launch(kernel, grid, block, args); }
    @Override public void synchronize() { d.synchronize(); }
    @Override public void bind() { d.bind(); }
    @Override public void close() { d.close(); }
}
