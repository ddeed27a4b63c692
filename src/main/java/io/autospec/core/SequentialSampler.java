package io.autospec.core;

import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The baseline: one step per round. Step a is drawn from its exact law given the prefix (the
 * speculation of a one-step span is exact), with the step's random numbers coupled to its value by
 * a {@link Coupling} (AR; default {@link Coupling#AUTO}). n rounds per sample.
 */
public final class SequentialSampler implements ChainStrategy {
    private final Coupling coupling;

    /** Inverse-CDF draws. */
    public SequentialSampler() {
        this(Coupling.AUTO);
    }

    private SequentialSampler(Coupling coupling) {
        if (coupling == null) throw new IllegalArgumentException("coupling must not be null");
        this.coupling = coupling;
    }

    /** {@return the same strategy drawing AR steps through {@code c} (diffusion steps ignore it)} */
    public SequentialSampler coupling(Coupling c) {
        return new SequentialSampler(c);
    }

    /** {@return how a step's random numbers become its value} */
    public Coupling coupling() {
        return coupling;
    }

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public MemoryTerms memoryTerms(int steps) {
        return new MemoryTerms(1, 1, 1, MemoryTerms.WINDOW_LEVER, 0);
    }

    @Override
    public Map<String, Object> settings() {
        if (coupling == Coupling.AUTO) return Map.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("coupling", coupling.name());
        return m;
    }

    /** {@return a fixed-point run of window 1: one step a round, drawn from its exact law} */
    @Override
    public java.util.Optional<DeviceRounds> deviceRounds() {
        return java.util.Optional.of(new FixedPoint(1, coupling));
    }

    @Override
    public <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics) {
        Deferred<P> result = new Deferred<>();
        new Object() {
            void step(int a, P prefix) {
                metrics.reached(root.sample(), a, process.length());
                if (a == process.length()) {
                    result.complete(prefix);
                    return;
                }
                Node node = root.step(a);
                process.speculate(node, prefix, a, a + 1)
                        .whenDone(spec -> step(a + 1, process.end(spec.draw(node, coupling).value())));
            }
        }.step(0, process.start(root));
        return result;
    }

    @Override
    public String toString() {
        return settings().isEmpty() ? name() : name() + settings();
    }
}
