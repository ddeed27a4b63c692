package io.autospec.cuda;

/** A device allocation: its address (as kernels see it), its size, and the device's handle for it. */
final class DeviceMemory {
    final long address;
    final long bytes;
    final Object handle;

    DeviceMemory(long address, long bytes, Object handle) {
        this.address = address;
        this.bytes = bytes;
        this.handle = handle;
    }

    @Override
    public String toString() {
        return String.format("device[0x%x, %d bytes]", address, bytes);
    }
}
