package io.autospec.cli;

import io.autospec.ar.Conditioned;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Vocabulary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code sample --given} (infilling) and {@code --format text}: pins, completed samples, decoded text. */
final class Infill {
    private Infill() {}

    /** {@return the model's vocabulary, or null when it is not a text model} */
    static Vocabulary vocabulary(ConditionalOracle oracle) {
        return oracle instanceof Vocabulary.Carrier c ? c.vocabulary() : null;
    }

    /**
     * The model with the pins of {@code --given}: {@code POS=VALUE,...} for any AR model, else a text
     * pattern for a text model ({@value Vocabulary#FREE} free, positions past its end free).
     */
    static Conditioned pin(ConditionalOracle oracle, String given) {
        int n = oracle.length(), q = oracle.alphabet();
        if (Conditioned.isPinList(given)) return Conditioned.of(oracle, Conditioned.parsePins(given, n, q));
        Vocabulary v = vocabulary(oracle);
        if (v == null) {
            throw new IllegalArgumentException("--given '" + given + "': " + oracle.describe() + " has no vocabulary, so --given takes POS=VALUE[,POS=VALUE...]"
                    + " (positions 0.." + (n - 1) + ", values 0.." + (q - 1) + "); text patterns need a text model");
        }
        return Conditioned.of(oracle, v.pattern(given, n));
    }

    /** {@return the samples with the pins filled in (as they are without --given)} */
    static List<?> complete(Conditioned c, List<?> samples) {
        if (c == null) return samples;
        List<int[]> out = new ArrayList<>(samples.size());
        for (Object x : samples) out.add(c.complete((int[]) x));
        return out;
    }

    /** --format text: one decoded sample per line. */
    static void writeText(BufferedWriter w, Vocabulary v, List<?> samples) throws IOException {
        for (Object x : samples) {
            w.write(v.decode((int[]) x));
            w.write('\n');
        }
    }
}
