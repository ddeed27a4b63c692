/**
 * <b>API</b>: determinantal models as AR oracles ({@link io.autospec.ar.models.det.DeterminantalOracle}
 * over an {@link io.autospec.ar.models.det.LEnsemble}; uniform spanning trees, domino tilings of the
 * Aztec diamond) and their exact reference samplers ({@link io.autospec.ar.models.det.ExactAnchor}:
 * spectral DPP, Wilson, domino shuffling), which the tests compare the strategies against.
 */
package io.autospec.ar.models.det;
