package io.autospec.cuda;

import io.autospec.nn.NnException;
import io.autospec.nn.Plan;
import io.autospec.nn.Step;
import java.nio.ByteBuffer;
import java.util.function.IntToLongFunction;

/**
 * How one {@link Step} of a plan is launched (kernels/nn_kernels.cuh): the kernel, its 1-D grid and
 * block, the items it covers and its argument struct, with the slots' device addresses filled in.
 * Item kernels take {@link LaunchConfig#forItems} over their output elements (rows for Softmax);
 * the matmul takes one block of {@link #MATMUL_THREADS} threads per 64 x 64 output tile (capped at
 * {@link LaunchConfig#MAX_GRID} blocks, the kernel loops over the rest). The tile shape is a
 * constant, so it never depends on the batch.
 */
record NetLaunch(String kernel, int grid, int block, long items, ByteBuffer args) {

    /** nn_kernels.cuh: NN_MM_TILE, NN_MM_THREADS. */
    static final int MATMUL_TILE = 64;
    static final int MATMUL_THREADS = 256;

    /**
     * The launch of {@code step}, {@code address} giving each slot's device address; null when the
     * step has no element to compute.
     * @throws NnException for a step the kernels cannot run (rank above {@link Plan#MAX_RANK}, sizes out of range)
     */
    static NetLaunch of(Step step, IntToLongFunction address) {
        KernelArgs k = new KernelArgs();
        if (step instanceof Step.MatMul s) {
            if (s.batch() < 0 || s.m() < 0 || s.n() < 0 || s.kDim() < 0) throw bad(step, "negative size");
            long tilesM = tiles(s.m()), tilesN = tiles(s.n());
            long count = (long) s.batch() * tilesM * tilesN;
            if (count == 0) return null;
            k.begin(Kernels.NN_MATMUL, Kernels.NN_MATMUL_ARGS).i64(count).i64(address.applyAsLong(s.a())).i64(address.applyAsLong(s.b()))
                    .i64(s.bias() < 0 ? 0 : address.applyAsLong(s.bias())).i64(address.applyAsLong(s.out()))
                    .i64(s.aBatchStride()).i64(s.bBatchStride())
                    .i32(s.m()).i32(s.n()).i32(s.kDim()).i32(s.transB() ? 1 : 0).i32((int) tilesM).i32((int) tilesN);
            return new NetLaunch(Kernels.NN_MATMUL, (int) Math.min(count, LaunchConfig.MAX_GRID), MATMUL_THREADS, count, copy(k));
        }
        if (step instanceof Step.Unary s) {
            if (s.count() == 0) return null;
            k.begin(Kernels.NN_UNARY, Kernels.NN_UNARY_ARGS).i64(s.count()).i64(address.applyAsLong(s.in())).i64(address.applyAsLong(s.out()))
                    .f32(s.alpha()).i32(s.op().ordinal());
            return items(k, s.count());
        }
        if (step instanceof Step.Binary s) {
            return broadcast(k.begin(Kernels.NN_BINARY, Kernels.NN_BINARY_ARGS), step, address, s.a(), s.b(), s.shape(), s.aStrides(), s.bStrides(), s.op().ordinal());
        }
        if (step instanceof Step.IntBinary s) {
            return broadcast(k.begin(Kernels.NN_INT_BINARY, Kernels.NN_INT_BINARY_ARGS), step, address, s.a(), s.b(), s.shape(), s.aStrides(), s.bStrides(), s.op().ordinal());
        }
        if (step instanceof Step.Where s) {
            long count = elements(step, s.shape());
            if (count == 0) return null;
            int rank = s.shape().length;
            strides(step, rank, s.condStrides(), s.aStrides(), s.bStrides());
            k.begin(Kernels.NN_WHERE, Kernels.NN_WHERE_ARGS).i64(count).i64(address.applyAsLong(s.cond())).i64(address.applyAsLong(s.a()))
                    .i64(address.applyAsLong(s.b())).i64(address.applyAsLong(s.out()));
            shapeAndStrides(k, s.shape(), s.condStrides(), s.aStrides(), s.bStrides());
            k.i32(rank).i32(0);
            return items(k, count);
        }
        if (step instanceof Step.Copy s) {
            long count = elements(step, s.shape());
            if (count == 0) return null;
            int rank = s.shape().length;
            strides(step, rank, s.inStrides(), s.outStrides());
            k.begin(Kernels.NN_COPY, Kernels.NN_COPY_ARGS).i64(count).i64(address.applyAsLong(s.in())).i64(address.applyAsLong(s.out()))
                    .i64(s.inOffset()).i64(s.outOffset());
            shapeAndStrides(k, s.shape(), s.inStrides(), s.outStrides());
            k.i32(rank).i32(0);
            return items(k, count);
        }
        if (step instanceof Step.Reduce s) {
            long count = s.outer() * s.inner();
            if (count == 0) return null;
            k.begin(Kernels.NN_REDUCE, Kernels.NN_REDUCE_ARGS).i64(count).i64(address.applyAsLong(s.in())).i64(address.applyAsLong(s.out()))
                    .i64(s.reduced()).i64(s.inner()).i32(s.op().ordinal()).i32(0);
            return items(k, count);
        }
        if (step instanceof Step.Softmax s) {
            if (s.rows() == 0 || s.cols() == 0) return null;
            k.begin(Kernels.NN_SOFTMAX, Kernels.NN_SOFTMAX_ARGS).i64(s.rows()).i64(address.applyAsLong(s.in())).i64(address.applyAsLong(s.out()))
                    .i64(s.cols());
            return items(k, s.rows());
        }
        if (step instanceof Step.Gather s) {
            long count = s.outer() * s.count() * s.inner();
            if (count == 0) return null;
            k.begin(Kernels.NN_GATHER, Kernels.NN_GATHER_ARGS).i64(count).i64(address.applyAsLong(s.data())).i64(address.applyAsLong(s.indices()))
                    .i64(address.applyAsLong(s.out())).i64(s.axisLen()).i64(s.inner()).i64(s.count());
            return items(k, count);
        }
        if (step instanceof Step.Cast s) {
            if (s.count() == 0) return null;
            k.begin(Kernels.NN_CAST, Kernels.NN_CAST_ARGS).i64(s.count()).i64(address.applyAsLong(s.in())).i64(address.applyAsLong(s.out()))
                    .i32(s.op().ordinal()).i32(0);
            return items(k, s.count());
        }
        throw bad(step, "no kernel for this step");
    }

    /** NnBinaryArgs / NnIntBinaryArgs: out[c] = op(A[c . aStrides], B[c . bStrides]) over {@code shape}. */
    private static NetLaunch broadcast(KernelArgs k, Step step, IntToLongFunction address, int a, int b, int[] shape,
                                       long[] aStrides, long[] bStrides, int op) {
        long count = elements(step, shape);
        if (count == 0) return null;
        strides(step, shape.length, aStrides, bStrides);
        k.i64(count).i64(address.applyAsLong(a)).i64(address.applyAsLong(b)).i64(address.applyAsLong(step.out()));
        shapeAndStrides(k, shape, aStrides, bStrides);
        k.i32(shape.length).i32(op);
        return items(k, count);
    }

    static long tiles(int size) {
        return (size + MATMUL_TILE - 1) / MATMUL_TILE;
    }

    private static NetLaunch items(KernelArgs k, long count) {
        LaunchConfig c = LaunchConfig.forItems(count);
        return new NetLaunch(k.kernel(), c.grid(), c.block(), count, copy(k));
    }

    /** The finished struct, copied out of the reusable writer. */
    private static ByteBuffer copy(KernelArgs k) {
        ByteBuffer done = k.end();
        ByteBuffer own = ByteBuffer.allocate(done.remaining()).order(done.order());
        own.put(done).flip();
        return own.asReadOnlyBuffer().order(done.order());
    }

    private static long elements(Step step, int[] shape) {
        if (shape.length > Plan.MAX_RANK) throw bad(step, "rank " + shape.length + " exceeds " + Plan.MAX_RANK);
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw bad(step, "negative dimension " + d);
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void strides(Step step, int rank, long[]... strides) {
        for (long[] s : strides) {
            if (s.length != rank) throw bad(step, "strides of rank " + s.length + " for a shape of rank " + rank);
        }
    }

    /** Shape and each stride array, padded to {@link Plan#MAX_RANK} (the C arrays' length). */
    private static void shapeAndStrides(KernelArgs k, int[] shape, long[]... strides) {
        for (int d = 0; d < Plan.MAX_RANK; d++) k.i64(d < shape.length ? shape[d] : 1);
        for (long[] s : strides) {
            for (int d = 0; d < Plan.MAX_RANK; d++) k.i64(d < s.length ? s[d] : 0);
        }
    }

    private static NnException bad(Step step, String why) {
        return new NnException("cuda: cannot launch " + step.getClass().getSimpleName() + " writing slot " + step.out() + ": " + why);
    }
}
