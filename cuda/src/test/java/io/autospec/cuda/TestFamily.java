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
        return oracle instanceof Wrapped w ? new ProductFamily.Model(w, w.inner::marginal, heap) : null;
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
