package io.autospec.models;

/**
 * A model spec, or a model file it names, that no model can be built from (a parameter out of range,
 * an unknown key, a malformed file line): a usage error, not a failed run. The command-line front ends
 * turn it into exit status 2 wherever it is raised (parsing, the memory check, building the model, or a
 * benchmark sweep), so a bad model parameter means the same thing in {@code sample}, {@code bench} and
 * on Spark. The message names the spec (and for files the file and line).
 */
public class ModelSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelSpecException(String message) {
        super(message);
    }

    public ModelSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
