package io.autospec;

import io.autospec.ar.ArProcess;
import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.ResidentJob;
import io.autospec.ar.ResidentResult;
import io.autospec.ar.ResidentRounds;
import io.autospec.ar.ResumableRounds;
import io.autospec.ar.Order;
import io.autospec.core.ChainStrategy;
import io.autospec.core.DeviceRounds;
import io.autospec.spi.Node;
import java.util.ArrayList;
import java.util.Optional;
import io.autospec.core.RoundScheduler;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import java.util.List;

/**
 * Exact sampling from an any-order autoregressive model:
 * <pre>{@code
 * RunResult<int[]> r = Autospec.autoregressive(MarkovChain.stay(4096, 2, 0.9))
 *         .strategy(Autospec.speculative().rho(1.0))
 *         .seed(42)
 *         .sample(100);
 * }</pre>
 */
public final class ArRun extends RunSettings<ArRun> {
    private final ConditionalOracle oracle;

    ArRun(ConditionalOracle oracle) {
        this.oracle = java.util.Objects.requireNonNull(oracle, "oracle");
    }

    /**
     * The strategy that draws this run's samples, as the strategy itself says
     * ({@link io.autospec.core.ChainStrategy#drawsOn}): the one set, or the one it hands this model to
     * (auto on a diffusion model runs exact Picard); reports name it.
     *
     * @return the strategy that draws
     */
    public Strategy drawingStrategy() {
        return io.autospec.core.ChainStrategy.of(strategy).drawsOn(new ArProcess(oracle, null));
    }

    /**
     * What {@link #sample(int) sample(samples)} would allocate with these settings (the oracle's own
     * tables, already built, not included): check it against {@code Runtime.getRuntime().maxMemory()}.
     *
     * @param samples how many samples the run would draw
     * @return the estimate, term by term
     */
    public MemoryEstimate estimateMemory(int samples) {
        return MemoryEstimate.autoregressive(oracle.length(), oracle.alphabet(), strategy, samples, capacity);
    }

    /**
     * Draws independent samples (ids from {@link #firstSampleId(int)}) in the same rounds.
     *
     * @param samples how many, at least 1
     * @return the samples (each int[n] in position order) and what they cost
     * @throws io.autospec.core.OracleException when the oracle returns something no distribution can be
     */
    public RunResult<int[]> sample(int samples) {
        return withBackend(b -> {
            RunMetrics metrics = new RunMetrics();
            RoundScheduler<ConditionalBatch> scheduler =
                    new RoundScheduler<>(new ConditionalBatch(oracle, b), capacity, metrics, listener);
            ArProcess process = new ArProcess(oracle, scheduler);
            long rows = oracle.forwardRows();
            List<int[]> xs = b instanceof ResidentRounds device ? onDevice(device, scheduler, process, samples) : null;
            if (xs == null) xs = Engine.drawAll(scheduler, process, strategy, seed, firstSampleId, samples, br -> br.toPositionOrder());
            scheduler.recordForwardRows(oracle.forwardRows() - rows);
            return new RunResult<>(xs, metrics, strategy.toString(), b.describe(), strategy.exact());
        });
    }

    /**
     * The rounds of a device-rounds strategy (sequential, jacobi, token) run by a backend on its device,
     * or null when the strategy is not one or the backend declines (the engine then runs them).
     */
    private List<int[]> onDevice(ResidentRounds device, RoundScheduler<ConditionalBatch> scheduler, ArProcess process, int samples) {
        ChainStrategy drawing = ChainStrategy.of(ChainStrategy.of(strategy).drawsOn(process));
        Optional<DeviceRounds> plan = drawing.deviceRounds();
        if (plan.isEmpty()) return null;
        Engine.checkSamples(firstSampleId, samples);
        List<Node> roots = new ArrayList<>(samples);
        List<Order> orders = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            Node root = Node.root(seed, firstSampleId + s);
            roots.add(root);
            orders.add(process.start(root).order());
        }
        scheduler.recordSamples(samples, firstSampleId);
        long t0 = System.nanoTime();
        ResidentResult done = device.runResident(new ResidentJob(oracle, plan.get(), roots, orders, capacity, scheduler::recordDeviceRound));
        if (done == null) return null;
        List<int[]> xs = new ArrayList<>(samples);
        int n = oracle.length();
        if (done.handBack() != null) {
            // The device stopped where drafting starts: the engine goes on with every sample from there.
            if (!(drawing instanceof ResumableRounds resumable)) {
                throw new IllegalStateException("the backend handed back the rounds of " + drawing + ", which cannot resume them");
            }
            xs.addAll(Engine.runSamples(scheduler, firstSampleId, samples,
                    s -> resumable.resume(process, roots.get(s), done.handBack().get(s), scheduler.metrics()), Branch::toPositionOrder,
                    drawing + " after the device handed its rounds back"));
        } else {
            for (int s = 0; s < samples; s++) {
                int[] x = new int[n];
                for (int t = 0; t < n; t++) x[orders.get(s).position(t)] = done.values()[s][t];
                xs.add(x);
                scheduler.recordReached(firstSampleId + s, n, n);
                scheduler.recordSampleDone();
            }
        }
        scheduler.recordWallSeconds((System.nanoTime() - t0) * 1e-9);
        return xs;
    }
}
