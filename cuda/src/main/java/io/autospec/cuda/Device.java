package io.autospec.cuda;

import java.nio.ByteBuffer;

/**
 * The device operations the CUDA backend is built from, all ordered on one stream: memory, copies
 * through pinned host buffers, kernel launches (one by-value argument struct per kernel, see
 * {@link Kernels}); nothing beyond the driver API. {@link JCudaDevice} is a GPU through JCuda; the test suite adds an
 * emulator that runs the kernels' host-compiled item functions, so everything above this interface
 * is exercised without a GPU.
 */
interface Device extends AutoCloseable {

    /** One line: device name, compute capability, memory. */
    String describe();

    /** {free, total} device memory in bytes. */
    long[] memoryInfo();

    /** Allocates device memory. @throws DeviceOutOfMemoryException when the device has none left */
    DeviceMemory allocate(long bytes);

    void free(DeviceMemory memory);

    /** Allocates a page-locked host buffer (little-endian view). */
    HostBuffer allocateHost(long bytes);

    void freeHost(HostBuffer buffer);

    /** Asynchronous copy host to device. */
    void upload(DeviceMemory dst, long dstOffset, HostBuffer src, long srcOffset, long bytes);

    /** Asynchronous copy device to host; the data is there after {@link #synchronize}. */
    void download(HostBuffer dst, long dstOffset, DeviceMemory src, long srcOffset, long bytes);

    /** Launches {@code kernel} on a 1-D grid with its argument struct ({@code args}, position 0 to limit). */
    void launch(String kernel, int grid, int block, ByteBuffer args);

    /** Waits for the stream; reports asynchronous errors (a faulting kernel) here. */
    void synchronize();

    /**
     * Records the stream work (launches and copies) {@code body} issues on the device it is handed,
     * without running it, as a graph whose every {@link DeviceGraph#launch} does that work again. The
     * body may not allocate or synchronise. Default: the calls kept in a list ({@link RecordedGraph});
     * a GPU captures a CUDA graph.
     */
    default DeviceGraph record(java.util.function.Consumer<Device> body) {
        return RecordedGraph.record(this, body);
    }

    /** Makes the device current for the calling thread (CUDA contexts are per thread). */
    void bind();

    @Override
    void close();
}
