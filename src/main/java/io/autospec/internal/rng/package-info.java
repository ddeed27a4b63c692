/**
 * <b>Internal, not API</b>: the counter-based Philox4x32-10 streams every random number of a run comes
 * from, addressed by (seed, sample, path in the recursion, purpose). Public only because the engine's
 * packages, the zoo models and the {@code autospec-cuda} module share them; it may change in any release.
 */
package io.autospec.internal.rng;
