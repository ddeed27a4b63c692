package io.autospec.cuda;

/**
 * An allocation did not fit: the device is out of memory, or the backend's memory budget is spent.
 * The backend answers by splitting the launch into smaller ones.
 */
public final class DeviceOutOfMemoryException extends CudaException {
    private static final long serialVersionUID = 1L;

    /** An allocation the device could not satisfy, described by {@code message}. */
    public DeviceOutOfMemoryException(String message) {
        super(message);
    }
}
