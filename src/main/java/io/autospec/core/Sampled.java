package io.autospec.core;

/** The outcome y of a span together with its log-density: log nu_S(y) for a fresh draft, log mu_S(y)
 * for a returned sample. Children return their log mu so the parent's trial test needs no oracle. */
public record Sampled<Y>(Y value, double logDensity) {}
