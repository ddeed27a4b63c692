package io.autospec.ar;

import io.autospec.spi.CancelScope;
import io.autospec.core.Coupling;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.OracleException;
import io.autospec.core.OracleRequest;
import io.autospec.core.RoundScheduler;
import io.autospec.core.Speculation;
import io.autospec.core.StepProcess;

/**
 * Any-order autoregressive sampling as a {@link StepProcess}: step r pins position sigma(r) of a
 * uniformly random order. A prefix and a span outcome are both {@link Branch}es.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class ArProcess implements StepProcess<Branch, Branch> {
    private final ConditionalOracle oracle;
    private final RoundScheduler<ConditionalBatch> scheduler;
    private final PrefixSummary summary;
    private final int n;
    private final int q;

    /** The process of an oracle whose queries go to the scheduler. */
    public ArProcess(ConditionalOracle oracle, RoundScheduler<ConditionalBatch> scheduler) {
        this.oracle = oracle;
        this.scheduler = scheduler;
        this.summary = oracle.prefixSummary();
        this.n = oracle.length();
        this.q = oracle.alphabet();
        if (n < 1) throw new IllegalArgumentException("oracle has n = " + n + " positions");
        if (q < 1) throw new IllegalArgumentException("oracle has alphabet size q = " + q);
    }

    /** {@return the oracle} */
    public ConditionalOracle oracle() {
        return oracle;
    }

    @Override
    public int length() {
        return n;
    }

    /** {@return q, the alphabet size} */
    public int alphabet() {
        return q;
    }

    @Override
    public Branch start(Node root) {
        Order order = (oracle.leftToRight() ? Order.identity(root.sample(), n) : Order.random(root.sample(), n, root.key()))
                .prepareFor(oracle);
        return Branch.empty(order, summary);
    }

    /** Progress: the sample of {@code root} has its first {@code steps} steps final (see RunMetrics#stepsReached). */
    void reached(Node root, int steps) {
        scheduler.recordReached(root.sample(), steps, n);
    }

    /** {@return the prefix followed by {@code values[0..count)}} */
    public Branch extend(Branch prefix, int[] values, int count) {
        return prefix.extend(values, 0, count, summary);
    }

    @Override
    public Deferred<Speculation<Branch, Branch>> speculate(Node node, Branch prefix, int a, int b) {
        return marginals(node.scope(), prefix, a, b - a)
                .map(rows -> new ArSpeculation(this, prefix, a, b, rows));
    }

    @Override
    public Branch end(Branch y) {
        return y;
    }

    @Override
    public Branch concat(Branch left, Branch right) {
        return right; // the right half was drawn on top of the left half's branch
    }

    /**
     * One request: the laws of positions sigma(a), ..., sigma(a+count-1), all given the first a
     * pinned values of {@code branch} (the speculation's product of marginals). Returns a copy of
     * the count x q rows.
     */
    public Deferred<double[]> marginals(CancelScope scope, Branch branch, int a, int count) {
        return rows(scope, branch, a, count, false);
    }

    /**
     * One request: the chain of conditionals of positions sigma(a), ..., sigma(a+count-1), the one
     * at step r given the first r pinned values of {@code branch}. Returns a copy of the rows.
     */
    public Deferred<double[]> chain(CancelScope scope, Branch branch, int a, int count) {
        return rows(scope, branch, a, count, true);
    }

    /**
     * One request: the laws of positions sigma(a), ..., sigma(a+count-1), the one at step r given the
     * first min(r, branch length) pinned values of {@code branch} (a fixed-point iterate that may not
     * reach every queried step yet). Returns a copy of the rows.
     */
    public Deferred<double[]> iterate(CancelScope scope, Branch branch, int a, int count) {
        return rows(scope, branch, a, count, true);
    }

    private Deferred<double[]> rows(CancelScope scope, Branch branch, int a, int count, boolean chain) {
        Deferred<double[]> d = new Deferred<>();
        scheduler.submit(new Request(scope, branch, a, count, chain, false) {
            @Override
            protected void deliver(ConditionalBatch batch, int first, int c) {
                d.complete(java.util.Arrays.copyOfRange(batch.out(), first * q, (first + c) * q));
            }
        });
        return d;
    }

    /**
     * One request: sum over steps r in [a, a+count) of log mu(X_sigma(r) = branch value | first r
     * pinned values of the branch), i.e. the chain rule along the branch. Returns -infinity when a
     * value has zero mass; an impossible context that follows only positive masses is an oracle
     * inconsistency and throws.
     */
    public Deferred<Double> logChain(CancelScope scope, Branch branch, int a, int count) {
        Deferred<Double> d = new Deferred<>();
        scheduler.submit(new Request(scope, branch, a, count, true, true) {
            @Override
            protected void deliver(ConditionalBatch batch, int first, int c) {
                double sum = 0;
                for (int i = 0; i < c; i++) {
                    int j = first + i;
                    double p = batch.score(j);
                    if (p == 0 && sum != Double.NEGATIVE_INFINITY && batch.zeroRow(j)) {
                        throw new OracleException("oracle " + oracle.describe() + " says the context of "
                                + batch.describe(j) + " has probability zero, but every earlier value on this branch had positive mass");
                    }
                    sum += Math.log(p);
                }
                d.complete(sum);
            }
        });
        return d;
    }

    /**
     * Queries for steps [a, a+count) of a branch; k = a for all (marginals) or k = step (chain); scored:
     * only the probability of the branch's own value at each step is read (the branch then has them).
     */
    private abstract static class Request extends OracleRequest<ConditionalBatch> {
        private final Branch branch;
        private final int a;
        private final int count;
        private final boolean chain;
        private final boolean scored;

        Request(CancelScope scope, Branch branch, int a, int count, boolean chain, boolean scored) {
            super(scope);
            if (count < 1) throw new IllegalArgumentException("empty request");
            this.branch = branch;
            this.a = a;
            this.count = count;
            this.chain = chain;
            this.scored = scored;
        }

        @Override
        protected void write(ConditionalBatch batch) {
            batch.addRequest(branch, a, count, chain, scored);
        }
    }

    /**
     * Draws a value from a probability row with a uniform u in [0,1): the smallest v whose cumulative
     * mass exceeds u times the row's total. A zero row means the oracle called a context impossible.
     * Public for backends (the CUDA kernel {@code as_categorical} is checked against it); the same
     * function as {@link Coupling#inverseCdf}.
     */
    public static int categorical(double[] rows, int base, int q, double u) {
        return Coupling.inverseCdf(rows, base, q, u);
    }

    /** The same draw, with an error naming the query when the row has no mass. */
    int draw(double[] rows, int row, double u, Branch prefix, int step, int k) {
        return checked(categorical(rows, row * q, q, u), prefix, step, k);
    }

    /** The draw of a coupling with its noise, with an error naming the query when the row has no mass. */
    int draw(double[] rows, int row, Coupling coupling, double[] noise, Branch prefix, int step, int k) {
        return checked(coupling.draw(rows, row * q, q, noise), prefix, step, k);
    }

    private int checked(int v, Branch prefix, int step, int k) {
        if (v < 0) throw zeroMass(oracle, prefix.order().position(step), prefix.order().sample(), k);
        return v;
    }

    /**
     * {@return the error for a row without mass where a value had to be drawn} (the context was reached by
     * sampling, so the oracle contradicts itself); shared with backends that draw on their device.
     */
    public static OracleException zeroMass(ConditionalOracle oracle, int position, int sample, int k) {
        return new OracleException("oracle " + oracle.describe() + " gave zero mass to every value of position "
                + position + " (sample " + sample + ", " + k
                + " pinned), a context that was reached by sampling and so has positive probability");
    }
}
