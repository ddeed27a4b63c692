/**
 * <b>API</b>: the AR model zoo, every oracle exact: independent positions, Markov and Potts chains,
 * Curie-Weiss, uniform solutions of parity constraints, an explicit weighted table, and left-to-right
 * wrappers.
 */
package io.autospec.ar.models;
