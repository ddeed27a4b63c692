package io.autospec.cuda;

/**
 * Stream work recorded once and replayed as a unit: on a GPU a CUDA graph (one driver call a replay
 * instead of one per kernel and copy); elsewhere the recorded calls issued again in order. Made by
 * {@link Device#record}; close it to free the graph (its owner does, on every path).
 */
interface DeviceGraph extends AutoCloseable {

    /** Enqueues one replay of the recorded work on the device's stream (asynchronous, like a launch). */
    void launch();

    /** {@return how many kernel launches one replay runs} */
    int kernels();

    @Override
    void close();
}
