package io.autospec.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.backend.CpuBackend;
import io.autospec.bench.StrategySpec;
import io.autospec.core.Strategy;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.models.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * Sampling on Spark ({@code local[2]}, a task may fail once) gives exactly the samples of one machine:
 * the union of the partitions' samples is bit for bit the single-machine run with the same seed, for
 * any number of partitions, also when a task fails and is retried; bad models fail on the driver.
 */
class SparkSamplingTest {
    static final ModelSource MARKOV = ModelSource.spec("markov:q=3,stay=0.8", 48);
    static final ModelSource GMM = ModelSource.spec("gmm:k=4,d=3,seed=5", 32, 0.02, "geometric");

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
    }

    @AfterEach
    void removeHook() {
        SparkSampling.testHook = null;
    }

    /** The single-machine run: ids [first, first + m) with the same seed, one engine run on one CPU thread. */
    static RunResult<?> oneMachine(ModelSource source, String strategy, long seed, int first, int m) {
        ModelSource.Model model = source.open();
        Strategy st = StrategySpec.parse(strategy).strategy();
        try (CpuBackend b = new CpuBackend(1)) {
            return model.diffusion()
                    ? Autospec.diffusion(model.denoiser(), model.schedule()).strategy(st).seed(seed).backend(b).firstSampleId(first).sample(m)
                    : Autospec.autoregressive(model.oracle()).strategy(st).seed(seed).backend(b).firstSampleId(first).sample(m);
        }
    }

    /**
     * Collects the rows in id order, checking that ids 0..m-1 occur once each and that every partition
     * holds one contiguous range of ids, the partitions in order.
     */
    static List<Row> rowsInIdOrder(Dataset<Row> ds, int m) {
        List<Row> rows = new ArrayList<>(ds.collectAsList());
        rows.sort(Comparator.comparingInt(r -> r.getInt(0)));
        assertEquals(m, rows.size(), "one row per sample");
        for (int i = 0; i < m; i++) {
            assertEquals(i, rows.get(i).getInt(0), "sample ids 0.." + (m - 1) + " once each");
            if (i > 0) assertTrue(rows.get(i).getInt(2) >= rows.get(i - 1).getInt(2), "partitions hold contiguous id ranges");
        }
        return rows;
    }

    /** Every value bit for bit (doubles compared by their bit patterns). */
    static void assertBitIdentical(List<?> expected, List<Row> rows, String what) {
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<Object> got = rows.get(i).getList(1);
            if (expected.get(i) instanceof int[] x) {
                assertArrayEquals(x, got.stream().mapToInt(v -> (Integer) v).toArray(), what + ": sample " + i);
            } else {
                double[] x = (double[]) expected.get(i);
                double[] y = got.stream().mapToDouble(v -> (Double) v).toArray();
                assertTrue(Arrays.equals(x, y), what + ": sample " + i + " " + Arrays.toString(x) + " vs " + Arrays.toString(y));
            }
        }
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 3, 7})
    void unionOfThePartitionsIsTheOneMachineRun(int partitions) {
        Object[][] cases = {{MARKOV, "speculative", 40}, {MARKOV, "token:window=8", 17}, {GMM, "speculative", 21}, {GMM, "sequential", 5}};
        for (Object[] c : cases) {
            ModelSource model = (ModelSource) c[0];
            String strategy = (String) c[1];
            int m = (Integer) c[2];
            String what = model.describe() + " " + strategy + " M=" + m + " P=" + partitions;
            List<Row> rows = rowsInIdOrder(SparkSampling.sample(spark, model, strategy, m, 20_251_201L, partitions), m);
            assertBitIdentical(oneMachine(model, strategy, 20_251_201L, 0, m).samples(), rows, what);
            long used = rows.stream().mapToInt(r -> r.getInt(2)).distinct().count();
            assertEquals(Math.min(m, partitions), used, what + ": partitions that drew samples");
            if (partitions > 1) {
                // The planted wrong variant: every partition drawing its count from id 0 (ignoring its
                // range) is rejected by the same comparison.
                List<Object> planted = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    int count = SparkSampling.rangeStart(p + 1, m, partitions) - SparkSampling.rangeStart(p, m, partitions);
                    if (count > 0) planted.addAll(oneMachine(model, strategy, 20_251_201L, 0, count).samples());
                }
                assertThrows(AssertionFailedError.class, () -> assertBitIdentical(planted, rows, "planted"), what + ": planted variant");
            }
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedToTheSameSamples() {
        Map<Integer, List<Integer>> drawn = new ConcurrentHashMap<>();
        SparkSampling.testHook = new SparkSampling.TaskHook() {
            @Override
            public void started(int partition, int attempt) {}

            @Override
            public void drawn(int partition, int attempt) {
                drawn.computeIfAbsent(partition, k -> new CopyOnWriteArrayList<>()).add(attempt);
                // After the engine run, before the rows leave: the attempt's samples are lost with it.
                if (partition == 1 && attempt == 0) throw new IllegalStateException("injected failure: partition 1, attempt 0");
            }
        };
        int m = 30;
        List<Row> rows = rowsInIdOrder(SparkSampling.sample(spark, MARKOV, "speculative", m, 7, 3), m);
        assertEquals(List.of(0, 1), drawn.get(1), "partition 1 drew twice: the failed attempt and its retry");
        assertEquals(List.of(0), drawn.get(0));
        assertEquals(List.of(0), drawn.get(2));
        assertBitIdentical(oneMachine(MARKOV, "speculative", 7, 0, m).samples(), rows, "after a retried task");
    }

    /** The planted variant: a task failing on every attempt exhausts the retries, so the test above did retry. */
    @Test
    void aTaskThatAlwaysFailsFailsTheJob() {
        SparkSampling.testHook = new SparkSampling.TaskHook() {
            @Override
            public void started(int partition, int attempt) {}

            @Override
            public void drawn(int partition, int attempt) {
                if (partition == 1) throw new IllegalStateException("injected failure: partition 1, attempt " + attempt);
            }
        };
        SparkException e = assertThrows(SparkException.class, () -> SparkSampling.sample(spark, MARKOV, "speculative", 30, 7, 3).collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("injected failure: partition 1, attempt 1"), e.getMessage());
    }

    @Test
    void aBadModelFailsOnTheDriverWithTheEnginesMessageBeforeAnyTask() {
        AtomicInteger tasks = new AtomicInteger();
        SparkSampling.testHook = new SparkSampling.TaskHook() {
            @Override
            public void started(int partition, int attempt) {
                tasks.incrementAndGet();
            }

            @Override
            public void drawn(int partition, int attempt) {}
        };
        String[][] bad = {{"markov:q=2,stya=0.9", "16"}, {"markov:q=2,stay=0.9", null}, {"potts:q=1", "8"}, {"tabel:x.csv", "8"},
            {"table:/no/such/table.csv", null}};
        for (String[] b : bad) {
            Integer n = b[1] == null ? null : Integer.valueOf(b[1]);
            String engine = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(b[0]).autoregressive(n)).getMessage();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparkSampling.sample(spark, ModelSource.spec(b[0], n), "speculative", 10, 1, 3));
            assertEquals(engine, e.getMessage(), b[0]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkSampling.sample(spark, MARKOV, "picard", 10, 1, 3));
        assertTrue(e.getMessage().contains("picard") && e.getMessage().contains("diffusion"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkSampling.sample(spark, MARKOV, "speculative:rho=-1", 10, 1, 3));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertEquals(0, tasks.get(), "no task started");
    }

    @Test
    void aUsersOracleOrDenoiserTravelsAsASerializableFactory() {
        ModelSource mine = ModelSource.oracle(() -> new CurieWeiss(30, 0.9, 0.1), "curie-weiss(n=30)");
        int m = 25;
        List<Row> rows = rowsInIdOrder(SparkSampling.sample(spark, mine, "speculative", m, 3, 4), m);
        assertBitIdentical(oneMachine(mine, "speculative", 3, 0, m).samples(), rows, "user oracle");
        ModelSource box = ModelSource.denoiser(() -> new BoxUniform(2, -1, 1), 24, 0.05, "uniform", "box(d=2)");
        rows = rowsInIdOrder(SparkSampling.sample(spark, box, "speculative", 9, 3, 2), 9);
        assertBitIdentical(oneMachine(box, "speculative", 3, 0, 9).samples(), rows, "user denoiser");
    }

    @Test
    void metricsSumThePartitionsEngineRuns() {
        int m = 40, partitions = 3;
        SparkMetrics got = SparkMetrics.of(SparkSampling.sample(spark, MARKOV, "speculative", m, 9, partitions));
        long queries = 0, launches = 0, minRounds = Long.MAX_VALUE, maxRounds = 0;
        for (int p = 0; p < partitions; p++) {
            int lo = SparkSampling.rangeStart(p, m, partitions), hi = SparkSampling.rangeStart(p + 1, m, partitions);
            RunResult<?> r = oneMachine(MARKOV, "speculative", 9, lo, hi - lo);
            queries += r.metrics().queries();
            launches += r.metrics().launches();
            minRounds = Math.min(minRounds, r.metrics().rounds());
            maxRounds = Math.max(maxRounds, r.metrics().rounds());
        }
        assertEquals(m, got.samples());
        assertEquals(partitions, got.partitions());
        assertEquals(queries, got.queries());
        assertEquals(launches, got.launches());
        assertEquals(minRounds, got.minRounds());
        assertEquals(maxRounds, got.maxRounds());
        assertTrue(got.engineSeconds() >= got.maxEngineSeconds() && got.maxEngineSeconds() > 0);
    }
}
