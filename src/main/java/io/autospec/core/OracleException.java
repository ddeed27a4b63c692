package io.autospec.core;

/** An oracle returned something no distribution can be: NaN, a negative mass, an unnormalised
 * vector, zero mass on a value that was drawn, or a non-finite drift. The message names the query. */
public class OracleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A bad oracle output, described by {@code message} (which names the query). */
    public OracleException(String message) {
        super(message);
    }

    /** A bad oracle output, described by {@code message}, caused by {@code cause}. */
    public OracleException(String message, Throwable cause) {
        super(message, cause);
    }
}
