package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.models.TableOracle;
import java.nio.ByteBuffer;

/** Device family: Explicit tables ({@code TableOracle}): the weighted assignments, matched against the pinned values. */
public final class TableFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public TableFamily() {}

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        return oracle instanceof TableOracle t ? new Model(t, heap) : null;
    }

    static final class Model extends ArModel {
        private final TableOracle table;
        private DeviceMemory rows, weights;
        private int m;

        Model(TableOracle table, DeviceHeap heap) {
            super(table, heap);
            this.table = table;
        }

        @Override
        void upload(Uploader up) {
            double[] w = table.weights();
            m = w.length;
            rows = keep(up.ints(table.assignments(), "table assignments"));
            weights = keep(up.doubles(w, "table weights"));
        }

        @Override
        String kernel() {
            return Kernels.TABLE;
        }

        @Override
        int orderInts(Order order) {
            return n;
        }

        @Override
        void writeOrder(Order order, IntList dst) {
            for (int pos = 0; pos < n; pos++) dst.add(order.rank(pos));
        }

        @Override
        boolean usesValues() {
            return true;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.TABLE_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(values.memory(), 0).ptr(orders.memory(), 0).ptr(rows, 0).ptr(weights, 0).ptr(l.work(), l.outOffset())
                    .i32(n).i32(q).i32(m).i32(0).end();
        }
    }
}
