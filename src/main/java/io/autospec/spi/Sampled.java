package io.autospec.spi;

/**
 * The outcome y of a span together with its log-density: log nu_S(y) for a fresh draft, log mu_S(y)
 * for a returned sample. Children return their log mu so the parent's trial test needs no oracle.
 *
 * <p><b>SPI</b>: what a speculation's draw returns.
 *
 * @param value      the outcome y
 * @param logDensity its log-density
 * @param <Y>        the outcome type
 */
public record Sampled<Y>(Y value, double logDensity) {}
