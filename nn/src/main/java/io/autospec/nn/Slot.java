package io.autospec.nn;

/**
 * One dense buffer of a {@link Plan}: {@code elements} 4-byte values of type {@code type}, with the
 * static {@code shape} it has in the graph (for messages and checks; steps carry their own
 * geometry). A CONSTANT slot holds its data (weights and folded tensors: uploaded once per model);
 * an INPUT slot is written by the caller before each evaluation; an ACTIVATION slot is written by a
 * step (the plan's output is one of them). Executors allocate every slot once and reuse it; ACTIVATION
 * slots hold zeros (all bits clear) when an executor opens, so an element no step writes reads as 0.
 */
public record Slot(int id, String name, Type type, Kind kind, long[] shape, long elements, float[] floats, int[] ints) {

    public enum Type { FLOAT, INT }

    public enum Kind { INPUT, CONSTANT, ACTIVATION }

    public Slot {
        if (kind == Kind.CONSTANT && (type == Type.FLOAT ? floats == null : ints == null)) {
            throw new IllegalArgumentException("constant slot " + name + " without data");
        }
    }
}
