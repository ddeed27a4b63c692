package io.autospec.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The portable {@link DeviceGraph}: the launches and copies a body issues, kept as a list and issued
 * again on the device at each replay. Used by devices without graphs of their own (the host emulator,
 * test wrappers); {@link JCudaDevice} captures a real CUDA graph instead.
 */
final class RecordedGraph implements DeviceGraph {
    private final Device device;
    private final List<Consumer<Device>> calls;
    private final int kernels;
    private boolean closed;

    private RecordedGraph(Device device, List<Consumer<Device>> calls, int kernels) {
        this.device = device;
        this.calls = calls;
        this.kernels = kernels;
    }

    /** Runs {@code body} against a recorder of {@code device}'s stream work; nothing runs on the device. */
    static RecordedGraph record(Device device, Consumer<Device> body) {
        Recorder r = new Recorder(device);
        body.accept(r);
        return new RecordedGraph(device, List.copyOf(r.calls), r.kernels);
    }

    @Override
    public void launch() {
        if (closed) throw new IllegalStateException("the device graph is closed");
        for (Consumer<Device> c : calls) c.accept(device);
    }

    @Override
    public int kernels() {
        return kernels;
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * What a body being recorded is handed: stream work (copies, launches) only; allocation,
     * synchronisation and closing have no place in a graph and are refused.
     */
    abstract static class StreamWork implements Device {
        final Device target;
        int kernels;

        StreamWork(Device target) {
            this.target = target;
        }

        @Override
        public String describe() {
            return target.describe() + " (recording)";
        }

        @Override
        public long[] memoryInfo() {
            return target.memoryInfo();
        }

        @Override
        public DeviceMemory allocate(long bytes) {
            throw refused("allocate");
        }

        @Override
        public void free(DeviceMemory memory) {
            throw refused("free");
        }

        @Override
        public HostBuffer allocateHost(long bytes) {
            throw refused("allocateHost");
        }

        @Override
        public void freeHost(HostBuffer buffer) {
            throw refused("freeHost");
        }

        @Override
        public void synchronize() {
            throw refused("synchronize");
        }

        @Override
        public void bind() {
            target.bind();
        }

        @Override
        public void close() {
            throw refused("close");
        }

        private static IllegalStateException refused(String call) {
            return new IllegalStateException(call + " cannot be recorded in a device graph");
        }
    }

    /** Keeps the stream work as calls to issue again. */
    private static final class Recorder extends StreamWork {
        final List<Consumer<Device>> calls = new ArrayList<>();

        Recorder(Device target) {
            super(target);
        }

        @Override
        public void upload(DeviceMemory dst, long dstOffset, HostBuffer src, long srcOffset, long bytes) {
            calls.add(d -> d.upload(dst, dstOffset, src, srcOffset, bytes));
        }

        @Override
        public void download(HostBuffer dst, long dstOffset, DeviceMemory src, long srcOffset, long bytes) {
            calls.add(d -> d.download(dst, dstOffset, src, srcOffset, bytes));
        }

        @Override
        public void launch(String kernel, int grid, int block, ByteBuffer args) {
            byte[] a = new byte[args.remaining()];
            args.duplicate().get(a);
            kernels++;
            calls.add(d -> d.launch(kernel, grid, block, ByteBuffer.wrap(a)));
        }
    }
}
