package io.autospec.cuda;

import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.ProductOracle;

/**
 * A device family that exists only in the test sources, registered by the test classpath's own
 * META-INF/services file: it shows that a family is added by adding files, with no edit to the
 * backend. It gives {@link Wrapped} (a product law behind a class no main-code family knows) the
 * product kernel.
 */
public final class TestFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public TestFamily() {}

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        if (oracle instanceof Raw r) return new ProductFamily.Model(r, (i, v) -> r.rows[i][v], heap);
        return oracle instanceof Wrapped w ? new ProductFamily.Model(w, w.inner::marginal, heap) : null;
    }

    /**
     * A product "law" whose rows are returned as given, unchecked: NaN, negative, unnormalised or empty
     * rows, the same on the host and on the device (for the tests of what a bad row does).
     */
    static final class Raw implements ConditionalOracle {
        final double[][] rows;

        Raw(double[][] rows) {
            this.rows = rows;
        }

        @Override
        public int length() {
            return rows.length;
        }

        @Override
        public int alphabet() {
            return rows[0].length;
        }

        @Override
        public String describe() {
            return "raw rows";
        }

        @Override
        public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
            int q = alphabet();
            for (int j = from; j < to; j++) System.arraycopy(rows[batch.position(j)], 0, out, j * q, q);
        }
    }

    /** A product law seen through its own class. */
    static final class Wrapped implements ConditionalOracle {
        final ProductOracle inner;

        Wrapped(ProductOracle inner) {
            this.inner = inner;
        }

        @Override
        public int length() {
            return inner.length();
        }

        @Override
        public int alphabet() {
            return inner.alphabet();
        }

        @Override
        public String describe() {
            return "wrapped " + inner.describe();
        }

        @Override
        public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
            inner.conditionals(batch, from, to, out);
        }
    }
}
