package io.autospec.ar;

import io.autospec.core.Coupling;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.OracleException;
import io.autospec.spi.Sampled;
import io.autospec.core.SpanSpeculation;

/**
 * nu_S for AR: the product of the marginals mu(X_sigma(i) = . | P) for i in S, all given the same
 * prefix P (one round, |S| queries). Its draws are independent across positions.
 */
final class ArSpeculation extends SpanSpeculation<Branch, Branch> {
    private final ArProcess process;
    private final int q;
    private final double[] rows; // (b - a) x q marginals

    ArSpeculation(ArProcess process, Branch prefix, int a, int b, double[] rows) {
        super(prefix, a, b);
        this.process = process;
        this.q = process.alphabet();
        this.rows = rows;
    }

    @Override
    public Sampled<Branch> draw(Node node) {
        return draw(node, Coupling.INVERSE_CDF);
    }

    @Override
    public Sampled<Branch> draw(Node node, Coupling coupling) {
        int[] x = new int[b - a];
        double logNu = 0;
        for (int i = 0; i < b - a; i++) {
            x[i] = process.draw(rows, i, coupling, coupling.noise(node, a + i, q), prefix, a + i, a);
            logNu += Math.log(rows[i * q + x[i]]);
        }
        return new Sampled<>(process.extend(prefix, x, b - a), logNu);
    }

    @Override
    public double logNu(Branch y) {
        double sum = 0;
        for (int i = 0; i < b - a; i++) {
            int v = y.valueAtRank(a + i);
            double p = rows[i * q + v];
            if (p == 0) {
                // y was drawn from mu_S, so every marginal at P gives its values positive mass.
                throw new OracleException("oracle " + process.oracle().describe() + " gave zero mass to value " + v
                        + " of position " + prefix.order().position(a + i) + " (sample " + prefix.order().sample()
                        + ", " + a + " pinned), a value that was drawn from the conditionals with positive probability");
            }
            sum += Math.log(p);
        }
        return sum;
    }

    @Override
    public Deferred<Double> logMu(Node node, Sampled<Branch> draft) {
        Branch x = draft.value();
        // The first factor of mu_S(x) is the first marginal of nu_S: no query needed for it.
        double first = Math.log(rows[x.valueAtRank(a)]);
        return process.logChain(node.scope(), x, a + 1, b - a - 1).map(rest -> first + rest);
    }
}
