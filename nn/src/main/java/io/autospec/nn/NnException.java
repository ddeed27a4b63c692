package io.autospec.nn;

/** A network that cannot be read, planned or run: the message names the file, node, op or slot. */
public class NnException extends RuntimeException {
    public NnException(String message) {
        super(message);
    }

    public NnException(String message, Throwable cause) {
        super(message, cause);
    }
}
