package io.autospec.ar.models.det;

/**
 * A classical exact sequential sampler of a determinantal family, to race the oracle-based
 * strategies against. A sample is one 0/1 per position of the matching oracle; its randomness comes
 * from the Philox stream of (seed, sample), so it does not depend on scheduling.
 */
public interface ExactAnchor {
    /** Sample number {@code sample} of a run with this seed. */
    int[] sample(long seed, int sample);

    /** A short name for reports, e.g. "wilson". */
    String describe();
}
