package io.autospec.cuda;

/** A CUDA driver call failed; the message names the call and, where known, the launch. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A CUDA failure described by {@code message}. */
    public CudaException(String message) {
        super(message);
    }

    /** A CUDA failure described by {@code message}, caused by {@code cause}. */
    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
