/**
 * The AR model zoo, every oracle exact: independent positions, Markov and Potts chains, Curie-Weiss,
 * uniform solutions of parity constraints, and an explicit weighted table.
 */
package io.autospec.ar.models;
