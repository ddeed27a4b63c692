/**
 * <b>Internal</b>: the counter-based Philox4x32-10 streams every random number of a run comes from,
 * addressed by (seed, sample, path in the recursion, purpose). Public only because the engine's
 * packages and the zoo share them.
 */
package io.autospec.rng;
