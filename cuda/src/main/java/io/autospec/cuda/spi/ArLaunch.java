package io.autospec.cuda.spi;

/**
 * Device addresses of one AR launch of {@code count} queries: the query records (4 ints each:
 * position, k, value base, order base; the order base is where the model's own order record starts),
 * the prefix summaries (one long each, when asked for), the value and order arenas (0 when unused),
 * the outputs (q doubles per query) and the scratch (the model's doubles per query).
 */
public record ArLaunch(long count, long queries, long summaries, long values, long orders, long out, long scratch) {}
