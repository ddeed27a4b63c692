package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.NnException;
import io.autospec.nn.Step;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ServiceLoader;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/** Launch shapes and argument structs of the network kernels ({@link NetLaunch}), and the provider's registration. */
class NetLaunchTest {
    /** Slot i lives at 0x1000 * (i + 1). */
    private static final IntToLongFunction ADDR = id -> 0x1000L * (id + 1);

    private static ByteBuffer le(ByteBuffer b) {
        return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void matmulTakesOneBlockOf256ThreadsPer64x64Tile() {
        NetLaunch l = NetLaunch.of(new Step.MatMul(0, 1, 2, 3, 3, 70, 129, 37, 70 * 37, 0, true), ADDR);
        assertEquals(Kernels.NN_MATMUL, l.kernel());
        assertEquals(256, l.block());
        assertEquals(3 * 2 * 3, l.items(), "batch x ceil(70/64) x ceil(129/64) tiles");
        assertEquals(18, l.grid());
        ByteBuffer a = le(l.args());
        assertEquals(Kernels.NN_MATMUL_ARGS, a.remaining());
        assertEquals(18, a.getLong(0));
        assertEquals(0x1000, a.getLong(8));
        assertEquals(0x3000, a.getLong(24), "bias");
        assertEquals(0x4000, a.getLong(32), "out");
        assertEquals(70 * 37, a.getLong(40));
        assertEquals(0, a.getLong(48));
        int[] ints = {a.getInt(56), a.getInt(60), a.getInt(64), a.getInt(68), a.getInt(72), a.getInt(76)};
        assertEquals("[70, 129, 37, 1, 2, 3]", java.util.Arrays.toString(ints), "m, n, k, transB, tilesM, tilesN");
        // No bias: a NULL pointer.
        assertEquals(0, le(NetLaunch.of(new Step.MatMul(0, 1, -1, 3, 1, 1, 1, 1, 0, 0, false), ADDR).args()).getLong(24));
    }

    @Test
    void theTileShapeDoesNotDependOnTheBatch() {
        for (int batch : new int[] {1, 7, 1000}) {
            NetLaunch l = NetLaunch.of(new Step.MatMul(0, 1, -1, 2, batch, 65, 65, 8, 65 * 8, 0, false), ADDR);
            assertEquals(256, l.block());
            assertEquals(4L * batch, l.items());
        }
        // Past the grid cap the kernel loops over tiles.
        NetLaunch big = NetLaunch.of(new Step.MatMul(0, 1, -1, 2, 1 << 21, 1, 1, 8, 8, 0, false), ADDR);
        assertEquals(LaunchConfig.MAX_GRID, big.grid());
        assertEquals(1L << 21, big.items());
    }

    @Test
    void itemKernelsCoverTheirElements() {
        NetLaunch u = NetLaunch.of(new Step.Unary(Step.UnaryOp.POW_CONST, 0, 1, 1001, 2.5f), ADDR);
        assertEquals(Kernels.NN_UNARY, u.kernel());
        assertEquals(LaunchConfig.forItems(1001), new LaunchConfig(u.grid(), u.block()));
        ByteBuffer a = le(u.args());
        assertEquals(2.5f, a.getFloat(24));
        assertEquals(Step.UnaryOp.POW_CONST.ordinal(), a.getInt(28));

        NetLaunch b = NetLaunch.of(new Step.Binary(Step.BinaryOp.MIN, 0, 1, 2, new int[] {2, 3, 5}, new long[] {15, 5, 1}, new long[] {0, 1, 0}), ADDR);
        assertEquals(30, b.items());
        ByteBuffer ba = le(b.args());
        assertEquals(Kernels.NN_BINARY_ARGS, ba.remaining());
        assertEquals(5, ba.getLong(32 + 16), "shape[2]");
        assertEquals(1, ba.getLong(32 + 24), "shape padded with 1");
        assertEquals(5, ba.getLong(32 + 48 + 8), "aStrides[1] of [15, 5, 1]");
        assertEquals(1, ba.getLong(32 + 96 + 8), "bStrides[1] of [0, 1, 0]");
        assertEquals(3, ba.getInt(176), "rank");
        assertEquals(Step.BinaryOp.MIN.ordinal(), ba.getInt(180));

        assertEquals(7, NetLaunch.of(new Step.Softmax(0, 1, 7, 100), ADDR).items(), "softmax: a thread per row");
        assertEquals(15, NetLaunch.of(new Step.Reduce(Step.ReduceOp.MEAN, 0, 1, 3, 17, 5), ADDR).items());
        assertEquals(2 * 4 * 6, NetLaunch.of(new Step.Gather(0, 1, 2, 2, 11, 6, 4), ADDR).items());
        assertEquals(Kernels.NN_WHERE_ARGS, NetLaunch.of(new Step.Where(0, 1, 2, 3, new int[] {4}, new long[] {1}, new long[] {1}, new long[] {0}), ADDR).args().remaining());
        assertEquals(Kernels.NN_COPY_ARGS, NetLaunch.of(new Step.Copy(0, 1, new int[0], 3, new long[0], 0, new long[0]), ADDR).args().remaining());
        assertEquals(Kernels.NN_CAST_ARGS, NetLaunch.of(new Step.Cast(Step.CastOp.INT_TO_FLOAT, 0, 1, 9), ADDR).args().remaining());
    }

    @Test
    void intBinaryTakesTheBinaryLayoutWithIntOps() {
        NetLaunch l = NetLaunch.of(new Step.IntBinary(Step.IntBinaryOp.MUL, 0, 1, 2, new int[] {4, 64}, new long[] {64, 1}, new long[] {0, 1}), ADDR);
        assertEquals(Kernels.NN_INT_BINARY, l.kernel());
        assertEquals(256, l.items());
        ByteBuffer a = le(l.args());
        assertEquals(Kernels.NN_INT_BINARY_ARGS, a.remaining());
        assertEquals(0x1000, a.getLong(8));
        assertEquals(0x2000, a.getLong(16));
        assertEquals(0x3000, a.getLong(24), "out");
        assertEquals(64, a.getLong(32 + 8), "shape[1]");
        assertEquals(64, a.getLong(32 + 48), "aStrides[0]");
        assertEquals(0, a.getLong(32 + 96), "bStrides[0]: broadcast");
        assertEquals(2, a.getInt(176), "rank");
        assertEquals(Step.IntBinaryOp.MUL.ordinal(), a.getInt(180));
    }

    /** One instance of every kind of step the nn module defines, with the kernel that must run it. */
    static final java.util.Map<Step, String> EVERY_STEP = java.util.Map.of(
            new Step.MatMul(0, 1, -1, 2, 1, 2, 2, 2, 0, 0, false), Kernels.NN_MATMUL,
            new Step.Unary(Step.UnaryOp.EXP, 0, 1, 3, 0f), Kernels.NN_UNARY,
            new Step.Binary(Step.BinaryOp.ADD, 0, 1, 2, new int[] {3}, new long[] {1}, new long[] {1}), Kernels.NN_BINARY,
            new Step.Reduce(Step.ReduceOp.SUM, 0, 1, 1, 3, 1), Kernels.NN_REDUCE,
            new Step.Softmax(0, 1, 1, 3), Kernels.NN_SOFTMAX,
            new Step.Gather(0, 1, 2, 1, 3, 1, 2), Kernels.NN_GATHER,
            new Step.Copy(0, 1, new int[] {3}, 0, new long[] {1}, 0, new long[] {1}), Kernels.NN_COPY,
            new Step.Cast(Step.CastOp.FLOAT_TO_INT, 0, 1, 3), Kernels.NN_CAST,
            new Step.Where(0, 1, 2, 3, new int[] {3}, new long[] {1}, new long[] {1}, new long[] {1}), Kernels.NN_WHERE,
            new Step.IntBinary(Step.IntBinaryOp.ADD, 0, 1, 2, new int[] {3}, new long[] {1}, new long[] {1}), Kernels.NN_INT_BINARY);

    /** A step kind added to the nn module without a kernel fails here (and would be refused by name at open). */
    @Test
    void everyKindOfStepHasAKernel() {
        java.util.Set<Class<?>> covered = new java.util.HashSet<>();
        EVERY_STEP.forEach((step, kernel) -> {
            assertEquals(kernel, NetLaunch.of(step, ADDR).kernel(), step.getClass().getSimpleName());
            assertTrue(Kernels.ALL.contains(kernel), kernel + " is resolved when a device opens");
            covered.add(step.getClass());
        });
        assertEquals(java.util.Set.of(Step.class.getPermittedSubclasses()), covered, "every record implementing Step");
    }

    @Test
    void emptyStepsLaunchNothingAndImpossibleOnesAreRefused() {
        assertNull(NetLaunch.of(new Step.Unary(Step.UnaryOp.EXP, 0, 1, 0, 0f), ADDR));
        assertNull(NetLaunch.of(new Step.MatMul(0, 1, -1, 2, 4, 0, 5, 5, 0, 0, false), ADDR));
        assertNull(NetLaunch.of(new Step.Binary(Step.BinaryOp.ADD, 0, 1, 2, new int[] {3, 0}, new long[] {0, 0}, new long[] {0, 0}), ADDR));
        int[] seven = {1, 1, 1, 1, 1, 1, 2};
        long[] s7 = new long[7];
        NnException e = assertThrows(NnException.class, () -> NetLaunch.of(new Step.Copy(0, 1, seven, 0, s7, 0, s7), ADDR));
        assertTrue(e.getMessage().contains("rank 7 exceeds 6"), e.getMessage());
        assertThrows(NnException.class, () -> NetLaunch.of(new Step.Binary(Step.BinaryOp.ADD, 0, 1, 2, new int[] {3}, new long[] {1, 1}, new long[] {1}), ADDR));
    }

    @Test
    void theProviderIsRegisteredAndSaysWhyWhenCudaIsUnusable() {
        ExecutorProvider cuda = null;
        for (ExecutorProvider p : ServiceLoader.load(ExecutorProvider.class)) if (p.name().equals("cuda")) cuda = p;
        assertTrue(cuda instanceof CudaExecutorProvider, "cuda is registered");
        CudaProbe.Result probe = CudaProbe.probe();
        assertEquals(probe.available(), cuda.unavailable().isEmpty());
        if (!probe.available()) {
            assertEquals(probe.reason(), cuda.unavailable().get());
            ExecutorProvider c = cuda;
            NnException e = assertThrows(NnException.class, () -> c.open(new PlanBuilder(1).build()));
            assertTrue(e.getMessage().contains(probe.reason()), e.getMessage());
        }
    }
}
