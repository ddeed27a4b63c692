package io.autospec.jmh;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import io.autospec.models.ModelSpec;
import io.autospec.spi.Key;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of one launch of conditional-marginal queries: a batch of {@code batch} queries drawn
 * like a speculative round (random branches of random lengths, positions after the pinned prefix),
 * evaluated by the backend. Score: launches per second; multiply by {@code batch} for queries/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConditionalBatchBenchmark {

    @Param({"markov:q=2,stay=0.9", "potts:q=5,stay=0.6", "curie-weiss:beta=0.5", "parity:constraints=16", "product:q=4"})
    public String model;

    @Param({"4096"})
    public int n;

    @Param({"64", "1024", "16384"})
    public int batch;

    @Param({"cpu"})
    public String backend;

    private Backend b;
    private ConditionalOracle oracle;
    private ConditionalBatch queries;

    @Setup(Level.Trial)
    public void setUp() {
        oracle = ModelSpec.parse(model).autoregressive(n);
        b = Backends.open(backend, 0);
        queries = new ConditionalBatch(oracle);
        Key key = Key.ofSeed(2024);
        int branches = Math.max(1, batch / 64);
        int q = oracle.alphabet();
        for (int i = 0; i < branches; i++) {
            Order order = Order.random(i, n, key.derive(1, i, 0)).prepareFor(oracle);
            int len = key.boundedInt(2, i, n);
            int[] values = new int[len];
            for (int r = 0; r < len; r++) values[r] = key.boundedInt(3, i * n + r, q);
            Branch br = Branch.empty(order, oracle.prefixSummary()).extend(values, 0, len, oracle.prefixSummary());
            for (int j = 0; j < batch / branches; j++) {
                int r = len + key.boundedInt(4, i * batch + j, n - len);
                queries.add(br, order.position(r), len);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        b.close();
    }

    @Benchmark
    public void evaluate(Blackhole bh) {
        b.conditionals(oracle, queries, 0, queries.size());
        bh.consume(queries.out()[0]);
    }
}
