package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.models.ParityOracle;
import java.nio.ByteBuffer;

/** Device family: Uniform solutions of parity constraints ({@code ParityOracle}): column bit masks and the order's elimination threshold. */
public final class ParityFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public ParityFamily() {}

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        return oracle instanceof ParityOracle p ? new Model(p, heap) : null;
    }

    static final class Model extends ArModel {
        private final ParityOracle parity;
        private DeviceMemory columns;

        Model(ParityOracle parity, DeviceHeap heap) {
            super(parity, heap);
            this.parity = parity;
        }

        @Override
        void upload(Uploader up) {
            columns = keep(up.longs(parity.columns(), "parity columns"));
        }

        @Override
        String kernel() {
            return Kernels.PARITY;
        }

        @Override
        int orderInts(Order order) {
            return n + 1;
        }

        @Override
        void writeOrder(Order order, IntList dst) {
            for (int r = 0; r < n; r++) dst.add(order.position(r));
            dst.add(parity.threshold(order));
        }

        @Override
        boolean usesSummaries() {
            return true;
        }

        @Override
        Summary residentSummary() {
            return Summary.XOR; // ParityOracle.prefixSummary: syndrome ^ columns[position] where the value is 1
        }

        @Override
        DeviceMemory summaryTable() {
            return columns;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.PARITY_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(l.upload(), l.summariesOffset()).ptr(orders.memory(), 0).ptr(columns, 0).ptr(l.work(), l.outOffset())
                    .i64(parity.target()).i32(n).i32(0).end();
        }
    }
}
