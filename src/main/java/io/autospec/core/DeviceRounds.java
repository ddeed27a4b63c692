package io.autospec.core;

/**
 * What a strategy is when its rounds are fully determined by the model and the samples' random
 * streams, with one request per sample per round: then a backend may run those rounds with every
 * sample's state on its own device instead of the engine building each round on the host
 * ({@link ChainStrategy#deviceRounds}). The backend must give exactly what the engine gives: the same
 * samples bit for bit, the same rounds and queries, the same errors.
 */
public sealed interface DeviceRounds permits FixedPoint, TokenWindows, AutoRounds {}
