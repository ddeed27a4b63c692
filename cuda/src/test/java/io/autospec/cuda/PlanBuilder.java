package io.autospec.cuda;

import io.autospec.nn.Plan;
import io.autospec.nn.Slot;
import io.autospec.nn.Step;
import java.util.ArrayList;
import java.util.List;

/** Builds small {@link Plan}s by hand for the executor tests: slots, then steps, inputs and outputs. */
final class PlanBuilder {
    private final int batch;
    private final List<Slot> slots = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<String> inputNames = new ArrayList<>(), outputNames = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>(), outputs = new ArrayList<>();

    PlanBuilder(int batch) {
        this.batch = batch;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    int input(String name, Slot.Type type, long... shape) {
        int id = slots.size();
        slots.add(new Slot(id, name, type, Slot.Kind.INPUT, shape, elements(shape), null, null));
        inputs.add(id);
        inputNames.add(name);
        return id;
    }

    int constant(String name, float[] data, long... shape) {
        int id = slots.size();
        slots.add(new Slot(id, name, Slot.Type.FLOAT, Slot.Kind.CONSTANT, shape, elements(shape), data, null));
        return id;
    }

    int constant(String name, int[] data, long... shape) {
        int id = slots.size();
        slots.add(new Slot(id, name, Slot.Type.INT, Slot.Kind.CONSTANT, shape, elements(shape), null, data));
        return id;
    }

    int activation(String name, Slot.Type type, long... shape) {
        int id = slots.size();
        slots.add(new Slot(id, name, type, Slot.Kind.ACTIVATION, shape, elements(shape), null, null));
        return id;
    }

    PlanBuilder step(Step s) {
        steps.add(s);
        return this;
    }

    PlanBuilder output(int slot) {
        outputs.add(slot);
        outputNames.add(slots.get(slot).name());
        return this;
    }

    Plan build() {
        return new Plan(batch, List.copyOf(slots), List.copyOf(steps), List.copyOf(inputNames),
                inputs.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(outputNames), outputs.stream().mapToInt(Integer::intValue).toArray());
    }
}
