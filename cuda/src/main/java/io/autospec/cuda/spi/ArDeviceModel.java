package io.autospec.cuda.spi;

import io.autospec.ar.Order;
import java.util.function.IntConsumer;

/**
 * The device side of one AR oracle, launched by the backend's shared query launch: one kernel item
 * per query, reading the packed query records (see kernels/ar_kernels.cuh: {@code as_query}), the
 * per-order and per-branch data it asks for, and its own parameters; writing the query's q
 * conditionals (doubles) at {@link ArLaunch#out} + 8 q j.
 */
public interface ArDeviceModel {
    /** The kernel's {@code extern "C"} name (a built-in one, or one of the family's {@link KernelModule}s). */
    String kernel();

    /** The size in bytes of the kernel's argument struct. */
    int argsBytes();

    /** Uploads the parameters, keeping their addresses for {@link #writeArgs}. Called once, before any launch. */
    void upload(Uploader up);

    /** Ints of per-order data the kernel reads (0: none). */
    default int orderInts(Order order) {
        return 0;
    }

    /** Writes the order's record, {@link #orderInts} ints. */
    default void writeOrder(Order order, IntConsumer dst) {}

    /** Whether the kernel reads the branch's pinned values. */
    default boolean usesValues() {
        return false;
    }

    /** Whether the kernel reads the branch's prefix summary after k steps. */
    default boolean usesSummaries() {
        return false;
    }

    /** Doubles of device scratch per query. */
    default int scratchDoubles() {
        return 0;
    }

    /** The largest number of pinned positions a query may have, of the oracle's {@code n}. */
    default int maxPinned(int n) {
        return n;
    }

    /** Writes the argument struct of one launch. */
    void writeArgs(ArgWriter w, ArLaunch launch);
}
