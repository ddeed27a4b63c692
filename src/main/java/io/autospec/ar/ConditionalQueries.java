package io.autospec.ar;

/**
 * What an oracle sees of a round's batch: the read-only view of the queries it answers
 * ({@link ConditionalOracle#conditionals}). Query j asks for the conditional law of position
 * {@link #position(int) position(j)} given the values pinned at steps 0..{@link #pinned(int) pinned(j)}-1
 * of its branch {@link #context(int) context(j)}. The engine fills and clears the batch
 * ({@link ConditionalBatch}); an oracle only reads it and writes its answers to the {@code out} array
 * it is given.
 */
public interface ConditionalQueries {
    /** {@return the number of queries in the batch} */
    int size();

    /** {@return q, the alphabet size: each answer is q probabilities} */
    int alphabet();

    /** {@return the branch (pinned values and order) of query j} */
    Branch context(int j);

    /** {@return the position whose conditional law query j asks for} */
    int position(int j);

    /** {@return k: query j conditions on the values pinned at steps 0..k-1 of its branch} */
    int pinned(int j);

    /** {@return "query #j (sample s, position p, k pinned)"}, for error messages */
    String describe(int j);
}
