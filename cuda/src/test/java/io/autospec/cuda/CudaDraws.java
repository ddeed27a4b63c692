package io.autospec.cuda;

import java.nio.ByteBuffer;

/**
 * The host engine's random draws evaluated on the device, bit-for-bit the functions the Java engine
 * uses: Philox blocks and uniforms ({@code io.autospec.internal.rng.Philox}), categorical draws
 * ({@code ArProcess.categorical}), Box-Muller normals ({@code DiffusionProcess.standardNormals}) and
 * per-request sums of log-probabilities (what {@code ArProcess.logChain} computes from a round's rows).
 * Runs on a {@link CudaBackend}'s device and buffers. The sampling engine itself draws on the host
 * (the backend interface hands rows to the host); these are the device versions, checked against the
 * host ones by the tests. Test support: the engine does not use them; their kernels
 * ({@code kernels/draws.cu}) stay in the jar so that the GPU tests run them on a real device.
 */
final class CudaDraws {
    private final CudaBackend backend;

    CudaDraws(CudaBackend backend) {
        this.backend = backend;
    }

    /** Result of {@link #logSums}: the sums and, per request, the first all-zero row index or -1. */
    public record LogSums(double[] sums, int[] zeroRow) {}

    /**
     * Philox4x32-10 blocks: item i has key (keys[2i], keys[2i+1]) and counter counters[4i..4i+4);
     * returns 4 words per item in {@code blocks} and the uniform of words 0 and 1 in {@code uniforms}.
     */
    public void philox(int[] keys, int[] counters, int[] blocks, double[] uniforms) {
        int n = uniforms.length;
        check(keys.length == 2 * n && counters.length == 4 * n && blocks.length == 4 * n, "philox: array sizes");
        if (n == 0) return;
        Layout in = new Layout().ints(keys).ints(counters);
        Layout out = new Layout().ints(4 * n).doubles(n);
        run(in, out, Kernels.PHILOX, n, (w, up, work) -> w.begin(Kernels.PHILOX, Kernels.PHILOX_ARGS).i64(n)
                .ptr(up, in.offset(0)).ptr(up, in.offset(1)).ptr(work, out.offset(0)).ptr(work, out.offset(1)).end());
        out.read(0, blocks);
        out.read(1, uniforms);
    }

    /** Draw i = ArProcess.categorical(rows, rowIndex[i] q, q, uniforms[i]) (-1 for a row without mass). */
    public int[] categorical(double[] rows, int q, int[] rowIndex, double[] uniforms) {
        int n = rowIndex.length;
        check(uniforms.length == n && q > 0 && rows.length % q == 0, "categorical: array sizes");
        for (int r : rowIndex) check(r >= 0 && (long) r * q < rows.length, "categorical: row " + r + " outside the rows");
        int[] result = new int[n];
        if (n == 0) return result;
        Layout in = new Layout().doubles(rows).ints(rowIndex).doubles(uniforms);
        Layout out = new Layout().ints(n);
        run(in, out, Kernels.CATEGORICAL, n, (w, up, work) -> w.begin(Kernels.CATEGORICAL, Kernels.CATEGORICAL_ARGS).i64(n)
                .ptr(up, in.offset(0)).ptr(up, in.offset(1)).ptr(up, in.offset(2)).ptr(work, out.offset(0)).i32(q).i32(0).end());
        out.read(0, result);
        return result;
    }

    /**
     * d standard normals per item, as DiffusionProcess.standardNormals(key, steps[i], ...) with key
     * (keys[2i], keys[2i+1]); item i's normals at [i d, i d + d).
     */
    public double[] normals(int[] keys, int[] steps, int d) {
        int n = steps.length;
        check(keys.length == 2 * n && d > 0, "normals: array sizes");
        double[] result = new double[n * d];
        if (n == 0) return result;
        int blocks = (d + 1) / 2;
        long items = (long) n * blocks;
        Layout in = new Layout().ints(keys).ints(steps);
        Layout out = new Layout().doubles(n * d);
        run(in, out, Kernels.NORMALS, items, (w, up, work) -> w.begin(Kernels.NORMALS, Kernels.NORMALS_ARGS).i64(items)
                .ptr(up, in.offset(0)).ptr(up, in.offset(1)).ptr(work, out.offset(0)).i32(d).i32(blocks).end());
        out.read(0, result);
        return result;
    }

    /**
     * Request r sums log rows[(first + i) q + values[offset + i]] for i &lt; count, where
     * (first, count, offset) = requests[3r..3r+3).
     */
    public LogSums logSums(double[] rows, int q, int[] requests, int[] values) {
        int n = requests.length / 3;
        check(requests.length == 3 * n && q > 0 && rows.length % q == 0, "logSums: array sizes");
        for (int r = 0; r < n; r++) {
            int first = requests[3 * r], count = requests[3 * r + 1], off = requests[3 * r + 2];
            check(first >= 0 && count >= 0 && (long) (first + count) * q <= rows.length && off >= 0 && off + count <= values.length,
                    "logSums: request " + r + " outside the arrays");
            for (int i = 0; i < count; i++) check(values[off + i] >= 0 && values[off + i] < q, "logSums: value outside [0, q)");
        }
        double[] sums = new double[n];
        int[] bad = new int[n];
        if (n == 0) return new LogSums(sums, bad);
        Layout in = new Layout().doubles(rows).ints(requests).ints(values);
        Layout out = new Layout().doubles(n).ints(n);
        run(in, out, Kernels.LOG_SUM, n, (w, up, work) -> w.begin(Kernels.LOG_SUM, Kernels.LOG_SUM_ARGS).i64(n)
                .ptr(up, in.offset(0)).ptr(up, in.offset(1)).ptr(up, in.offset(2)).ptr(work, out.offset(0))
                .ptr(work, out.offset(1)).i32(q).i32(0).end());
        out.read(0, sums);
        out.read(1, bad);
        return new LogSums(sums, bad);
    }

    private interface ArgsWriter {
        ByteBuffer write(KernelArgs w, DeviceMemory upload, DeviceMemory work);
    }

    private void run(Layout in, Layout out, String kernel, long items, ArgsWriter args) {
        CudaBackend.Ctx ctx = backend.context();
        DeviceMemory up = ctx.upload.ensure(in.size);
        DeviceMemory work = ctx.work.ensure(out.size);
        HostBuffer st = ctx.staging(Math.max(in.size, out.size));
        in.write(st.buffer);
        ctx.kernels.clear();
        ctx.device.upload(up, 0, st, 0, in.size);
        ctx.kernel(kernel, items, args.write(ctx.args, up, work));
        ctx.device.download(st, 0, work, 0, out.size);
        ctx.device.synchronize();
        out.from(st.buffer);
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalArgumentException(what);
    }

    /** Arrays packed one after another at 256-byte aligned offsets. */
    private static final class Layout {
        private final java.util.List<Object> arrays = new java.util.ArrayList<>();
        private final java.util.List<Long> offsets = new java.util.ArrayList<>();
        long size;
        private ByteBuffer data;

        private Layout add(Object a, long bytes) {
            long off = Growth.align(size);
            arrays.add(a);
            offsets.add(off);
            size = off + Math.max(bytes, 8);
            return this;
        }

        Layout ints(int[] a) {
            return add(a, 4L * a.length);
        }

        Layout doubles(double[] a) {
            return add(a, 8L * a.length);
        }

        Layout ints(int count) {
            return add(new int[count], 4L * count);
        }

        Layout doubles(int count) {
            return add(new double[count], 8L * count);
        }

        long offset(int i) {
            return offsets.get(i);
        }

        void write(ByteBuffer bb) {
            for (int i = 0; i < arrays.size(); i++) {
                bb.position((int) offset(i));
                Object a = arrays.get(i);
                if (a instanceof int[] x) bb.asIntBuffer().put(x);
                else bb.asDoubleBuffer().put((double[]) a);
            }
        }

        void from(ByteBuffer bb) {
            data = bb;
        }

        void read(int i, int[] dst) {
            data.position((int) offset(i));
            data.asIntBuffer().get(dst);
        }

        void read(int i, double[] dst) {
            data.position((int) offset(i));
            data.asDoubleBuffer().get(dst);
        }
    }
}
