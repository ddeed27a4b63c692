package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.models.MarkovChain;
import java.nio.ByteBuffer;

/** Device family: Markov chains and Potts chains ({@code MarkovChain}): initial laws and a power table, or squared powers for binary powering. */
public final class MarkovFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public MarkovFamily() {}

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        // A chain in closed form (large q) keeps no tables: it runs on CPU threads.
        return oracle instanceof MarkovChain c && !c.closedForm() ? new Model(c, heap) : null;
    }

    static final class Model extends ArModel {
        private final MarkovChain chain;
        private final int leaves;
        private DeviceMemory initialAt, powers, squares;
        private int levels;

        Model(MarkovChain chain, DeviceHeap heap) {
            super(chain, heap);
            this.chain = chain;
            int size = 1;
            while (size < n) size <<= 1;
            this.leaves = size;
        }

        @Override
        void upload(Uploader up) {
            initialAt = keep(up.doubles(chain.initialLaws(), "markov initial laws"));
            double[] table = chain.powerTable();
            if (table != null) {
                powers = keep(up.doubles(table, "markov power table"));
            } else {
                double[] sq = chain.squarePowers();
                levels = sq.length / (q * q);
                squares = keep(up.doubles(sq, "markov squares"));
            }
        }

        @Override
        String kernel() {
            return Kernels.MARKOV;
        }

        @Override
        int orderInts(Order order) {
            return 2 * leaves;
        }

        @Override
        void writeOrder(Order order, IntList dst) {
            if (order.leaves() != leaves) throw new IllegalStateException("order of " + order.length() + " positions for a chain of " + n);
            int[] tree = order.minTree();
            dst.add(tree, 0, tree.length);
        }

        @Override
        boolean usesValues() {
            return true;
        }

        @Override
        int scratchDoubles() {
            return powers == null ? 3 * q : 0;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.MARKOV_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(values.memory(), 0).ptr(orders.memory(), 0).ptr(initialAt, 0).ptr(powers, 0).ptr(squares, 0)
                    .ptr(powers == null ? l.work() : null, l.scratchOffset()).ptr(l.work(), l.outOffset())
                    .i32(n).i32(q).i32(leaves).i32(levels).end();
        }
    }
}
