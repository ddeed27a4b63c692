package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.cuda.spi.ArDeviceModel;
import io.autospec.cuda.spi.ArLaunch;
import io.autospec.cuda.spi.DriftDeviceModel;
import io.autospec.cuda.spi.DriftLaunch;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A family added through the public SPI ({@link io.autospec.cuda.spi.DeviceFamily}) seen as a
 * built-in one: its models run in the engine's shared AR launch or a one-kernel drift launch, with
 * the parameters they upload owned (and freed) by the engine's model.
 */
final class ExtensionFamily implements DeviceFamily {
    final io.autospec.cuda.spi.DeviceFamily family;

    ExtensionFamily(io.autospec.cuda.spi.DeviceFamily family) {
        this.family = family;
    }

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        ArDeviceModel m = family.arModel(oracle);
        return m == null ? null : new Ar(oracle, m, heap);
    }

    @Override
    public DriftModel driftModel(Denoiser denoiser, DeviceHeap heap) {
        DriftDeviceModel m = family.driftModel(denoiser);
        return m == null ? null : new Drift(denoiser, m, heap);
    }

    /** The public uploader: the engine's, keeping each allocation with its model. */
    private static io.autospec.cuda.spi.Uploader addresses(ArModel.Uploader up, Consumer<DeviceMemory> keep) {
        return new io.autospec.cuda.spi.Uploader() {
            @Override
            public long doubles(double[] data, String what) {
                return kept(up.doubles(data, what));
            }

            @Override
            public long ints(int[] data, String what) {
                return kept(up.ints(data, what));
            }

            @Override
            public long longs(long[] data, String what) {
                return kept(up.longs(data, what));
            }

            private long kept(DeviceMemory m) {
                keep.accept(m);
                return m.address;
            }
        };
    }

    private static long address(DeviceMemory m, long offset) {
        return m == null ? 0 : m.address + offset;
    }

    static final class Ar extends ArModel {
        private final ArDeviceModel spec;

        Ar(ConditionalOracle oracle, ArDeviceModel spec, DeviceHeap heap) {
            super(oracle, heap);
            this.spec = spec;
        }

        @Override
        void upload(Uploader up) {
            spec.upload(addresses(up, this::keep));
        }

        @Override
        String kernel() {
            return spec.kernel();
        }

        @Override
        int orderInts(Order order) {
            return spec.orderInts(order);
        }

        @Override
        void writeOrder(Order order, IntList dst) {
            spec.writeOrder(order, dst::add);
        }

        @Override
        boolean usesValues() {
            return spec.usesValues();
        }

        @Override
        boolean usesSummaries() {
            return spec.usesSummaries();
        }

        @Override
        int scratchDoubles() {
            return spec.scratchDoubles();
        }

        @Override
        int maxPinned() {
            return spec.maxPinned(n);
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            w.begin(kernel(), spec.argsBytes());
            spec.writeArgs(w, new ArLaunch(l.count(), address(l.upload(), l.queriesOffset()), address(l.upload(), l.summariesOffset()),
                    address(values.memory(), 0), address(orders.memory(), 0), address(l.work(), l.outOffset()),
                    address(l.work(), l.scratchOffset())));
            return w.end();
        }
    }

    static final class Drift extends DriftModel {
        private final DriftDeviceModel spec;

        Drift(Denoiser denoiser, DriftDeviceModel spec, DeviceHeap heap) {
            super(denoiser, heap);
            this.spec = spec;
        }

        @Override
        void upload(ArModel.Uploader up) {
            spec.upload(addresses(up, this::keep));
        }

        @Override
        long workBytesPerQuery() {
            return 8L * spec.scratchDoubles();
        }

        /** Drifts at the start of the work buffer, the scratch after them. */
        @Override
        void launch(CudaBackend.Ctx ctx, DriftBatch batch, int lo, int hi) {
            int c = hi - lo;
            long scratchOff = Growth.align(8L * c * d);
            long pointsOff = uploadQueries(ctx, batch, lo, hi, scratchOff + 8L * spec.scratchDoubles() * c);
            DeviceMemory up = ctx.upload.memory(), work = ctx.work.memory();
            long items = spec.items(c, d);
            ctx.args.begin(spec.kernel(), spec.argsBytes());
            spec.writeArgs(ctx.args, new DriftLaunch(c, items, d, address(up, 0), address(up, pointsOff), address(work, 0),
                    address(work, scratchOff)));
            ctx.kernel(spec.kernel(), items, ctx.args.end());
            downloadOut(ctx, batch, lo, c, 0);
        }
    }
}
