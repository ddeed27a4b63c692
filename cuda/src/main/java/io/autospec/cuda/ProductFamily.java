package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.ProductOracle;
import java.nio.ByteBuffer;

/** Device family: Product distributions ({@code ProductOracle}): one marginal table, read per query. */
public final class ProductFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public ProductFamily() {}

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        return oracle instanceof ProductOracle p ? new Model(p, p::marginal, heap) : null;
    }

    /** P(X_i = v), the same for every context. */
    interface Marginals {
        double marginal(int i, int v);
    }

    /** Any oracle whose conditionals are fixed marginals (other families may reuse it). */
    static final class Model extends ArModel {
        private final Marginals p;
        private DeviceMemory marginals;

        Model(ConditionalOracle oracle, Marginals p, DeviceHeap heap) {
            super(oracle, heap);
            this.p = p;
        }

        @Override
        void upload(Uploader up) {
            double[] m = new double[n * q];
            for (int i = 0; i < n; i++) for (int v = 0; v < q; v++) m[i * q + v] = p.marginal(i, v);
            marginals = keep(up.doubles(m, "product marginals"));
        }

        @Override
        String kernel() {
            return Kernels.PRODUCT;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.PRODUCT_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(marginals, 0).ptr(l.work(), l.outOffset()).i32(q).i32(0).end();
        }
    }
}
