package io.autospec.core;

import java.util.Map;

/**
 * The baseline: one step per round. Step a is drawn from its exact law given the prefix (the
 * speculation of a one-step span is exact). n rounds per sample.
 */
public final class SequentialSampler implements Strategy {

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
        return Map.of();
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
                        .whenDone(spec -> step(a + 1, process.end(spec.draw(node).value())));
            }
        }.step(0, process.start(root));
        return result;
    }

    @Override
    public String toString() {
        return name();
    }
}
