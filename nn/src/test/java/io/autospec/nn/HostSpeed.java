package io.autospec.nn;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Rows per second of the host executor on a shipped model (a measurement, not a test):
 * {@code java -cp ... io.autospec.nn.HostSpeed onnx/models/text.onnx 16 1 2}  (model, batch, thread counts...).
 * Token models only (one int input [batch, n]); tokens uniform in [0, q] are drawn with q = 36.
 */
public final class HostSpeed {
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        OnnxGraph g = OnnxGraph.read(file);
        OnnxGraph.ValueInfo in = g.inputs().get(0);
        long n = in.dims()[1];
        long t0 = System.nanoTime();
        Plan p = Planner.plan(g, Map.of(in.name(), new long[] {batch, n}));
        System.out.printf("%s: planned in %.0f ms, %d steps, %d slots%n", file, (System.nanoTime() - t0) / 1e6, p.steps().size(), p.slots().size());
        int[] tokens = new Random(1).ints(batch * n, 0, 37).toArray();
        float[][] out = {new float[(int) p.slots().get(p.outputSlots()[0]).elements()]};
        for (int a = 2; a < args.length; a++) {
            int threads = Integer.parseInt(args[a]);
            try (HostExecutor h = new HostExecutor(p, threads)) {
                h.run(new Object[] {tokens}, out); // warm-up
                int reps = 3;
                long s = System.nanoTime(), c = cpu();
                for (int r = 0; r < reps; r++) {
                    h.run(new Object[] {tokens}, out);
                }
                double sec = (System.nanoTime() - s) / 1e9 / reps, cpuSec = (cpu() - c) / 1e9 / reps;
                // on a shared machine the wall clock overstates the cost; the process CPU time does not
                System.out.printf("batch %d, %d thread(s): %.3f s wall per evaluation (%.1f rows/s), %.3f s CPU (%.1f rows per CPU-second)%n",
                        batch, threads, sec, batch / sec, cpuSec, batch / cpuSec);
            }
        }
    }
}
