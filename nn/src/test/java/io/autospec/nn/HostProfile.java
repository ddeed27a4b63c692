package io.autospec.nn;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Time per step kind of one host evaluation (a measurement, not a test): model, batch. */
public final class HostProfile {
    public static void main(String[] args) {
        OnnxGraph g = OnnxGraph.read(Path.of(args[0]));
        int batch = Integer.parseInt(args[1]);
        OnnxGraph.ValueInfo in = g.inputs().get(0);
        Plan p = Planner.plan(g, Map.of(in.name(), new long[] {batch, in.dims()[1]}));
        Object[] bufs = new Object[p.slots().size()];
        for (Slot s : p.slots()) {
            bufs[s.id()] = s.kind() == Slot.Kind.CONSTANT ? (s.type() == Slot.Type.FLOAT ? s.floats() : s.ints())
                    : s.type() == Slot.Type.FLOAT ? new float[(int) s.elements()] : new int[(int) s.elements()];
        }
        int[] tokens = new Random(1).ints(bufs.length == 0 ? 0 : ((int[]) bufs[p.inputSlots()[0]]).length, 0, 37).toArray();
        System.arraycopy(tokens, 0, bufs[p.inputSlots()[0]], 0, tokens.length);
        for (int rep = 0; rep < 2; rep++) {
            Map<String, Double> t = new TreeMap<>();
            for (Step s : p.steps()) {
                long t0 = System.nanoTime();
                HostExecutor.execute(s, id -> bufs[id]);
                String key = s.getClass().getSimpleName() + (s instanceof Step.Binary b ? "/" + b.op() + " rank " + b.shape().length
                        : s instanceof Step.Copy c ? " rank " + c.shape().length + " inner " + c.shape()[c.shape().length - 1]
                        : s instanceof Step.Unary u ? "/" + u.op() : "");
                t.merge(key, (System.nanoTime() - t0) / 1e6, Double::sum);
            }
            if (rep == 1) {
                t.forEach((k, v) -> System.out.printf("%-40s %8.1f ms%n", k, v));
            }
        }
    }
}
