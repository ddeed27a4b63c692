package io.autospec.jmh;

import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
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
 * Throughput of one launch of denoiser queries (t, x) with t spread over a geometric schedule and x
 * at the scale of the process (x = t y + sqrt(t) g). Score: launches per second; multiply by
 * {@code batch} for queries/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DriftBatchBenchmark {

    @Param({"atoms:k=256,d=2", "atoms:k=256,d=64", "gmm:k=16,d=16", "box:d=16"})
    public String model;

    @Param({"64", "1024", "16384"})
    public int batch;

    @Param({"cpu"})
    public String backend;

    private Backend b;
    private Denoiser denoiser;
    private DriftBatch queries;

    @Setup(Level.Trial)
    public void setUp() {
        denoiser = ModelSpec.parse(model).denoiser();
        b = Backends.open(backend, 0);
        queries = new DriftBatch(denoiser);
        int d = denoiser.dimension();
        Key key = Key.ofSeed(7);
        for (int j = 0; j < batch; j++) {
            double t = 1e-3 * Math.pow(1e6, key.uniform(1, j, 0));
            int off = queries.add(t, 0, j);
            for (int i = 0; i < d; i++) {
                double y = 2 * key.uniform(2, j, i) - 1, g = 2 * key.uniform(3, j, i) - 1;
                queries.points()[off + i] = t * y + Math.sqrt(t) * g;
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        b.close();
    }

    @Benchmark
    public void evaluate(Blackhole bh) {
        b.drifts(denoiser, queries, 0, queries.size());
        bh.consume(queries.out()[0]);
    }
}
