package io.autospec.cuda.spi;

/**
 * The device side of one denoiser: one kernel per launch over {@link #items} work items, reading
 * the queries' times and points and writing their drifts (d doubles per query, row-major).
 */
public interface DriftDeviceModel {
    /** The kernel's {@code extern "C"} name (a built-in one, or one of the family's {@link KernelModule}s). */
    String kernel();

    /** The size in bytes of the kernel's argument struct. */
    int argsBytes();

    /** Uploads the parameters, keeping their addresses for {@link #writeArgs}. Called once, before any launch. */
    void upload(Uploader up);

    /** Work items of a launch of {@code queries} queries in dimension {@code d} (default: one per query). */
    default long items(int queries, int d) {
        return queries;
    }

    /** Doubles of device scratch per query. */
    default int scratchDoubles() {
        return 0;
    }

    /** Writes the argument struct of one launch. */
    void writeArgs(ArgWriter w, DriftLaunch launch);
}
