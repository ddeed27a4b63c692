package io.autospec.ar;

import io.autospec.core.OracleException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infilling: a model with some positions pinned to given values, as an AR model of its free
 * positions only. Sampling it with any strategy and {@link #complete completing} each sample draws
 * from the model's law given the pins.
 *
 * <p><b>What it draws.</b> Free position j of this model is position {@code free()[j]} of the
 * model. A sample's order sigma over the free positions becomes the model's order "the pinned
 * positions (ascending), then the free positions in sigma's order", and a query (branch, j, k) of
 * this model is the model's query (position free[j], the pins plus the branch's first k values).
 * So this is an AR model like any other, every strategy is exact for it, and its target is
 * sequential sampling of the free positions along a uniformly random order given the pins: for a
 * model with exact conditionals (every zoo model) that is exactly mu(x_free | x_pinned); for a
 * learned network it is the law of the network's any-order sampler continued from the pins.
 *
 * <p><b>Costs.</b> Queries are forwarded in one batch per call, on the caller's backend thread; a
 * device backend evaluates a conditioned model on CPU threads (no device kernel knows the
 * wrapper). Queries whose branches share storage share one model branch (built per call, O(n)),
 * so a network still sees one row per (branch, k) context. A left-to-right model can only be
 * pinned on a prefix 0..g-1 (a prompt).
 */
public final class Conditioned implements ConditionalOracle, Vocabulary.Carrier {
    private final ConditionalOracle model;
    private final int n;
    private final int q;
    private final int[] free;        // free position of each value of this model, ascending
    private final int[] pinnedPos;   // pinned positions, ascending
    private final int[] pinnedVal;   // their values
    private final int[] given;       // per position of the model: its value or -1

    /** The model's order and the pins for one sample (the attachment of this model's order). */
    private record Inner(Order order) {}

    private Conditioned(ConditionalOracle model, int[] given) {
        this.model = model;
        this.n = model.length();
        this.q = model.alphabet();
        this.given = given.clone();
        List<Integer> f = new ArrayList<>(), pp = new ArrayList<>();
        for (int i = 0; i < n; i++) (given[i] < 0 ? f : pp).add(i);
        free = f.stream().mapToInt(Integer::intValue).toArray();
        pinnedPos = pp.stream().mapToInt(Integer::intValue).toArray();
        pinnedVal = new int[pinnedPos.length];
        for (int i = 0; i < pinnedPos.length; i++) pinnedVal[i] = given[pinnedPos[i]];
    }

    /**
     * Pins positions of a model.
     *
     * @param model the model
     * @param given one entry per position: the pinned value (0..q-1), or -1 for a free position
     * @return the model of the free positions given the pins
     * @throws IllegalArgumentException when {@code given} does not fit the model, pins every
     *                                  position, or pins a left-to-right model off its prefix
     */
    public static Conditioned of(ConditionalOracle model, int[] given) {
        int n = model.length(), q = model.alphabet();
        if (given.length != n) throw new IllegalArgumentException("--given pins " + given.length + " positions; the model has n = " + n);
        int pins = 0;
        for (int i = 0; i < n; i++) {
            if (given[i] < -1 || given[i] >= q) throw new IllegalArgumentException("--given: value " + given[i] + " at position " + i + " is not in 0.." + (q - 1));
            if (given[i] >= 0) pins++;
        }
        if (pins == n) throw new IllegalArgumentException("--given pins all " + n + " positions; leave at least one free");
        if (model.leftToRight()) {
            for (int i = 0; i < pins; i++) {
                if (given[i] < 0) {
                    throw new IllegalArgumentException("--given: " + model.describe() + " is sampled left to right, so only a prefix 0.."
                            + (pins - 1) + " can be pinned (a prompt); position " + i + " is free");
                }
            }
        }
        Conditioned c = new Conditioned(model, given);
        c.requirePossiblePins();
        return c;
    }

    /**
     * Refuses pins of probability zero before anything is sampled. By the chain rule along the order
     * "pins ascending", mu(pins) is the product over pins of mu(pin | the pins before it); each factor
     * is an exact conditional as long as the pins before it are possible, so the first factor that
     * is zero names the pin that makes them impossible. A free position's conditional alone cannot
     * show this: a chain's oracle reads only a position's nearest pinned neighbours, so two
     * contradicting neighbours never meet in one query. One batch of (number of pins) queries.
     */
    private void requirePossiblePins() {
        int g = pinnedPos.length;
        if (g == 0) return;
        int[] sigma = new int[n];
        System.arraycopy(pinnedPos, 0, sigma, 0, g);
        System.arraycopy(free, 0, sigma, g, free.length);
        Order order = Order.of(0, sigma).prepareFor(model);
        PrefixSummary summary = model.prefixSummary();
        Branch pins = Branch.empty(order, summary).extend(pinnedVal, 0, g, summary);
        ConditionalBatch batch = new ConditionalBatch(model);
        for (int k = 0; k < g; k++) batch.add(pins, pinnedPos[k], k);
        double[] out = batch.out();
        model.conditionals(batch, 0, g, out);
        for (int k = 0; k < g; k++) {
            double p = out[k * q + pinnedVal[k]];
            if (!(p > 0)) {
                StringBuilder before = new StringBuilder();
                for (int i = Math.max(0, k - 3); i < k; i++) before.append(before.length() == 0 ? "" : ",").append(pinnedPos[i]).append('=').append(pinnedVal[i]);
                String context = k == 0 ? "on its own" : "given the pins before it (" + (k > 3 ? "...," : "") + before + ")";
                throw new IllegalArgumentException("--given: the pins have probability zero under " + model.describe() + ": "
                        + pinnedPos[k] + "=" + pinnedVal[k] + " is impossible " + context);
            }
        }
    }

    /**
     * Reads {@code POS=VALUE[,POS=VALUE...]} (positions 0..n-1, values 0..q-1, each position at most once).
     *
     * @return one entry per position: the pinned value or -1
     */
    public static int[] parsePins(String spec, int n, int q) {
        int[] out = new int[n];
        Arrays.fill(out, -1);
        for (String part : spec.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--given: expected POS=VALUE, got '" + p + "'");
            int pos, val;
            try {
                pos = Integer.parseInt(p.substring(0, eq).strip());
                val = Integer.parseInt(p.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--given: expected POS=VALUE with integers, got '" + p + "'");
            }
            if (pos < 0 || pos >= n) throw new IllegalArgumentException("--given: position " + pos + " is not in 0.." + (n - 1));
            if (val < 0 || val >= q) throw new IllegalArgumentException("--given: value " + val + " at position " + pos + " is not in 0.." + (q - 1));
            if (out[pos] >= 0) throw new IllegalArgumentException("--given: position " + pos + " is pinned twice");
            out[pos] = val;
        }
        return out;
    }

    /** Whether a {@code --given} argument is a list of POS=VALUE pins (else a text pattern). */
    public static boolean isPinList(String spec) {
        // A scan, not a regular expression: a repeated group recurses once per pin and overflows the
        // stack at a few thousand pins.
        int i = 0, len = spec.length();
        while (true) {
            i = skipSpaces(spec, i);
            int d = digits(spec, i);
            if (d == i) return false;
            i = skipSpaces(spec, d);
            if (i == len || spec.charAt(i) != '=') return false;
            i = skipSpaces(spec, i + 1);
            d = digits(spec, i);
            if (d == i) return false;
            i = skipSpaces(spec, d);
            if (i == len) return true;
            if (spec.charAt(i) != ',') return false;
            i++;
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static int digits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i;
    }

    /** {@return the pinned model} */
    public ConditionalOracle model() {
        return model;
    }

    /** {@return the free positions of the model, ascending: value j of this model is position free()[j]} */
    public int[] free() {
        return free.clone();
    }

    /** {@return one entry per position of the model: its pinned value, or -1} */
    public int[] given() {
        return given.clone();
    }

    /** {@return a full sample of the model: the pins, and {@code freeValues[j]} at position free()[j]} */
    public int[] complete(int[] freeValues) {
        if (freeValues.length != free.length) throw new IllegalArgumentException("expected " + free.length + " free values, got " + freeValues.length);
        int[] x = given.clone();
        for (int j = 0; j < free.length; j++) x[free[j]] = freeValues[j];
        return x;
    }

    @Override
    public int length() {
        return free.length;
    }

    @Override
    public int alphabet() {
        return q;
    }

    @Override
    public String describe() {
        return model.describe() + " given " + pinnedPos.length + " of " + n + " positions";
    }

    @Override
    public boolean leftToRight() {
        return model.leftToRight();
    }

    @Override
    public boolean wholeLaunch() {
        return model.wholeLaunch();
    }

    @Override
    public long forwardRows() {
        return model.forwardRows();
    }

    @Override
    public Vocabulary vocabulary() {
        return model instanceof Vocabulary.Carrier c ? c.vocabulary() : null;
    }

    @Override
    public Object prepare(Order order) {
        int g = pinnedPos.length;
        int[] sigma = new int[n];
        System.arraycopy(pinnedPos, 0, sigma, 0, g);
        for (int r = 0; r < free.length; r++) sigma[g + r] = free[order.position(r)];
        return new Inner(Order.of(order.sample(), sigma).prepareFor(model));
    }

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        PrefixSummary summary = model.prefixSummary();
        int g = pinnedPos.length;
        // One model branch per storage of this model's branches, as long as the longest of them.
        Map<Object, Branch> longest = new IdentityHashMap<>();
        for (int j = from; j < to; j++) {
            Branch b = batch.context(j);
            longest.merge(b.storageIdentity(), b, (x, y) -> x.length() >= y.length() ? x : y);
        }
        Map<Object, Branch> inner = new IdentityHashMap<>();
        int[] values = new int[n];
        System.arraycopy(pinnedVal, 0, values, 0, g);
        for (Map.Entry<Object, Branch> e : longest.entrySet()) {
            Branch b = e.getValue();
            Order io = ((Inner) b.order().attachment()).order();
            b.copyValues(0, b.length(), values, g);
            inner.put(e.getKey(), Branch.empty(io, summary).extend(values, 0, g + b.length(), summary));
        }
        ConditionalBatch ib = new ConditionalBatch(model);
        for (int j = from; j < to; j++) {
            Branch b = batch.context(j);
            ib.add(inner.get(b.storageIdentity()), free[batch.position(j)], g + batch.pinned(j));
        }
        double[] io = ib.out();
        model.conditionals(ib, 0, to - from, io);
        System.arraycopy(io, 0, out, from * q, (to - from) * q);
        for (int j = from; j < to; j++) {
            if (batch.pinned(j) > 0 || g == 0) continue;
            double s = 0;
            for (int v = 0; v < q; v++) s += out[j * q + v];
            if (s == 0) {
                throw new OracleException("--given: the pinned values have probability zero under " + model.describe()
                        + " (the law of position " + free[batch.position(j)] + " given them is undefined)");
            }
        }
    }
}
