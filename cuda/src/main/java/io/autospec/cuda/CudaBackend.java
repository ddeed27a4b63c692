package io.autospec.cuda;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.ResidentJob;
import io.autospec.ar.ResidentResult;
import io.autospec.ar.ResidentRounds;
import io.autospec.backend.Backend;
import io.autospec.backend.CpuBackend;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates oracle batches with CUDA kernels (through JCuda's driver API; no CUDA library is needed).
 *
 * <p><b>Memory.</b> Per backend: one pinned staging buffer, one device upload buffer and one device
 * work buffer, grown geometrically and reused from launch to launch (no allocation per round once
 * they are large enough). Per oracle: its parameters (uploaded once) and two arenas, keyed by
 * identity, for order data (min-tree, ranks or sigma + T2; uploaded once per order) and branch
 * values (uploaded incrementally: only values beyond what is already on the device, up to the
 * largest k a query reads). Every launch is one host-to-device copy, a few kernels, one
 * device-to-host copy and one stream synchronisation. All allocations go through a {@link DeviceHeap}
 * with a budget; a launch that does not fit is split in halves (recursively) instead of failing.
 *
 * <p><b>Fallback.</b> Oracles and denoisers without a device implementation are evaluated on CPU
 * threads (a {@link CpuBackend}), with one warning per class.
 *
 * <p>Not thread-safe: one scheduler drives it. Close it to free every native resource.
 */
public final class CudaBackend implements Backend, ResidentRounds {
    private static final Logger LOG = LoggerFactory.getLogger("autospec");

    /** Settings of a CUDA backend. */
    public record Options(int device, long memoryBudget, int cpuThreads, int modelCache, boolean residentRounds) {
        /** {@return the defaults: device 0, budget 90% of the free device memory, all processors for host fallbacks, resident rounds on} */
        public static Options defaults() {
            return new Options(0, 0, 0, 4, true);
        }

        /** {@return these options with a bound on the device memory the backend may hold} (bytes; 0 = 90% of what is free when it opens) */
        public Options withMemoryBudget(long bytes) {
            return new Options(device, bytes, cpuThreads, modelCache, residentRounds);
        }

        /** {@return these options with the threads of the CPU backend used for oracles without a device implementation} (0 = all) */
        public Options withCpuThreads(int threads) {
            return new Options(device, memoryBudget, threads, modelCache, residentRounds);
        }

        /** {@return these options on CUDA device {@code ordinal}} */
        public Options withDevice(int ordinal) {
            return new Options(ordinal, memoryBudget, cpuThreads, modelCache, residentRounds);
        }

        /**
         * {@return these options with the device-resident rounds of sequential and jacobi on or off}
         * (off: the engine builds every round on the host, as before they existed; for comparisons)
         */
        public Options withResidentRounds(boolean on) {
            return new Options(device, memoryBudget, cpuThreads, modelCache, on);
        }
    }

    /** What the backend did: launches, splits, memory, and the bytes its launches copied back to the host. */
    public record Stats(long launches, long kernelLaunches, long splits, long bytesInUse, long peakBytes,
                        long allocations, long arenaResets, int liveAllocations, long downloadedBytes, long residentRounds,
                        int residentLive, long handBacks) {}

    /** Shared state of one launch, handed to the device models. */
    static final class Ctx {
        final Device device;
        final DeviceBuffer upload, work;
        final PinnedBuffer staging;
        final KernelArgs args = new KernelArgs();
        final List<String> kernels = new ArrayList<>(4);
        /** Packs the queries of the shared AR launch (reused across launches). */
        final ArPacker packer = new ArPacker();
        long kernelLaunches, downloadedBytes;
        /** The resident rounds' device buffers by role, and their counter buffer: kept from run to run. */
        private final java.util.Map<String, DeviceBuffer> resident = new java.util.HashMap<>();
        final PinnedBuffer residentCounters;
        private final DeviceHeap heap;

        Ctx(Device device, DeviceHeap heap) {
            this.device = device;
            this.upload = new DeviceBuffer(heap, "upload buffer");
            this.work = new DeviceBuffer(heap, "work buffer");
            this.staging = new PinnedBuffer(heap, "pinned staging buffer");
            this.residentCounters = new PinnedBuffer(heap, "resident round counters");
            this.heap = heap;
        }

        /** The resident rounds' buffer of this role (grown as needed, reused by later runs). */
        DeviceBuffer residentBuffer(String role) {
            return resident.computeIfAbsent(role, r -> new DeviceBuffer(heap, "resident " + r));
        }

        /** Gives the resident rounds' buffers back (to make room for the engine's launches). */
        void releaseResident() {
            for (DeviceBuffer b : resident.values()) b.release();
            residentCounters.release();
        }

        HostBuffer staging(long bytes) {
            return staging.ensure(bytes);
        }

        void kernel(String name, long items, ByteBuffer args) {
            LaunchConfig cfg = LaunchConfig.forItems(items);
            kernels.add(name);
            device.launch(name, cfg.grid(), cfg.block(), args);
            kernelLaunches++;
        }

        /** A launch's device-to-host copy (counted in {@link Stats#downloadedBytes}). */
        void download(HostBuffer dst, long dstOffset, DeviceMemory src, long srcOffset, long bytes) {
            device.download(dst, dstOffset, src, srcOffset, bytes);
            downloadedBytes += bytes;
        }
    }

    private final Device device;
    private final DeviceHeap heap;
    private final Ctx ctx;
    private final Options options;
    private final List<ArModel> arModels = new ArrayList<>();
    private final List<DriftModel> driftModels = new ArrayList<>();
    private final Set<Class<?>> hostOnly = new HashSet<>();
    private final Set<Class<?>> onDevice = new HashSet<>();
    private CpuBackend cpu;
    private long launches, splits, residentRuns, residentRounds, handBacks;
    private ResidentRun lastResident; // kept for stats: what it still holds after its close (0 unless it leaked)
    private boolean closed;

    /** Opens device 0 with default options. @throws CudaException when CUDA is unusable */
    public static CudaBackend open() {
        return open(Options.defaults());
    }

    /** Opens a CUDA backend. @throws CudaException when no device, driver, kernels or JCuda library is usable */
    public static CudaBackend open(Options options) {
        CudaProbe.Result probe = CudaProbe.probe();
        if (!probe.available()) throw new CudaException("CUDA is not available: " + probe.reason(), probe.cause());
        Device device = JCudaDevice.open(options.device());
        try {
            return new CudaBackend(device, options);
        } catch (RuntimeException | Error e) {
            try {
                device.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** A backend on any {@link Device} (the tests use a host emulator). Takes ownership of the device. */
    CudaBackend(Device device, Options options) {
        this.device = device;
        this.options = options;
        device.bind();
        long budget = options.memoryBudget();
        if (budget <= 0) budget = Math.max(1, (long) (device.memoryInfo()[0] * 0.9));
        this.heap = new DeviceHeap(device, budget);
        this.ctx = new Ctx(device, heap);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String describe() {
        return "cuda (" + device.describe() + ")";
    }

    /** {@return counters and memory figures (for tests and reports)} */
    public Stats stats() {
        long resets = 0;
        for (ArModel m : arModels) resets += m.resets();
        return new Stats(launches, ctx.kernelLaunches, splits, heap.inUse(), heap.peak(), heap.allocations(), resets,
                heap.liveAllocations(), ctx.downloadedBytes, residentRounds, lastResident == null ? 0 : lastResident.live(), handBacks);
    }

    /** {@return the options it was opened with} */
    Options options() {
        return options;
    }

    /** {@return the device-memory budget in bytes} */
    public long memoryBudget() {
        return heap.budget();
    }

    // ------------------------------------------------------------------------------------ AR

    @Override
    public void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to) {
        conditionals(oracle, batch, from, to, false);
    }

    /**
     * The engine's launches: rows of oracles with a device model are also validated and normalised on
     * the device, and only what the requests read comes back (see {@link ArModel#launch}).
     */
    @Override
    public void validatedConditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to) {
        conditionals(oracle, batch, from, to, true);
    }

    private void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to, boolean validate) {
        checkOpen();
        if (from >= to) return;
        device.bind();
        ArModel model = arModel(oracle);
        if (model == null) {
            cpu(oracle.getClass(), "oracle " + oracle.describe()).conditionals(oracle, batch, from, to);
            return;
        }
        split(from, to, model.bytesPerQuery(), (lo, hi) -> {
            ctx.kernels.clear();
            model.launch(ctx, batch, lo, hi, validate);
            launches++;
        }, j -> batch.describe(j));
    }

    private ArModel arModel(ConditionalOracle oracle) {
        for (int i = 0; i < arModels.size(); i++) {
            ArModel m = arModels.get(i);
            if (m.oracle == oracle) {
                if (i > 0) arModels.add(0, arModels.remove(i)); // most recently used first
                return m;
            }
        }
        if (hostOnly.contains(oracle.getClass())) return null;
        ArModel m = ArModel.create(oracle, heap, uploader());
        if (m == null) return null;
        placed(oracle.getClass(), "oracle " + oracle.describe());
        arModels.add(0, m);
        while (arModels.size() > Math.max(1, options.modelCache())) arModels.remove(arModels.size() - 1).close();
        return m;
    }

    // ------------------------------------------------------------------------ resident rounds

    /**
     * Runs a job's rounds with every sample's state on the device ({@link ResidentRun}: fixed points
     * and token windows): one graph replay and one 24-byte read a round. Declines (null, the engine then
     * builds the rounds) for an oracle without a device model on the shared layout, a plan or coupling
     * rule the kernels do not know, or state that does not fit in the memory budget.
     */
    @Override
    public ResidentResult runResident(ResidentJob job) {
        checkOpen();
        if (!options.residentRounds()) return null;
        device.bind();
        ArModel model = arModel(job.oracle());
        ResidentRun run = model == null ? null : ResidentRun.of(ctx, model, job);
        if (run == null) return null;
        lastResident = run;
        try {
            try {
                run.setUp();
            } catch (DeviceOutOfMemoryException e) {
                ctx.releaseResident();
                LOG.info("cuda: the rounds of {} run on the host engine: their device state does not fit ({})", job.oracle().describe(), e.getMessage());
                return null;
            }
            if (residentRuns++ == 0) {
                LOG.info("cuda: {} rounds run device-resident ({} samples x {} slots, {} kernels a round, one graph replay each)",
                        job.plan().getClass().getSimpleName(), job.samples(), run.width, run.kernelsPerRound());
            }
            ResidentResult result = run.run();
            if (result.handBack() != null) handBacks++;
            return result;
        } catch (CudaException e) {
            throw new CudaException(e.getMessage() + " (resident round " + (run.rounds() + 1) + " of " + job.oracle().describe() + ")", e);
        } finally {
            launches += run.rounds();
            residentRounds += run.rounds();
            ctx.kernelLaunches += run.rounds() * run.kernelsPerRound();
            run.close();
        }
    }

    // ------------------------------------------------------------------------------ diffusion

    @Override
    public void drifts(Denoiser denoiser, DriftBatch batch, int from, int to) {
        checkOpen();
        if (from >= to) return;
        device.bind();
        DriftModel model = driftModel(denoiser);
        if (model == null) {
            cpu(denoiser.getClass(), "denoiser " + denoiser.describe()).drifts(denoiser, batch, from, to);
            return;
        }
        long perQuery = 8 + 16L * model.d + model.workBytesPerQuery();
        split(from, to, perQuery, (lo, hi) -> {
            ctx.kernels.clear();
            model.launch(ctx, batch, lo, hi);
            launches++;
        }, j -> batch.describe(j));
    }

    private DriftModel driftModel(Denoiser denoiser) {
        for (int i = 0; i < driftModels.size(); i++) {
            DriftModel m = driftModels.get(i);
            if (m.denoiser == denoiser) {
                if (i > 0) driftModels.add(0, driftModels.remove(i));
                return m;
            }
        }
        if (hostOnly.contains(denoiser.getClass())) return null;
        DriftModel m = DriftModel.create(denoiser, heap, uploader());
        if (m == null) return null;
        placed(denoiser.getClass(), "denoiser " + denoiser.describe());
        driftModels.add(0, m);
        while (driftModels.size() > Math.max(1, options.modelCache())) driftModels.remove(driftModels.size() - 1).close();
        return m;
    }

    // ---------------------------------------------------------------------------- splitting

    interface RangeLaunch {
        void run(int lo, int hi);
    }

    interface QueryName {
        String of(int j);
    }

    /**
     * Runs [from, to) as launches no larger than the memory budget suggests; a launch that runs out of
     * device memory is retried as two halves (after dropping the arenas' contents), down to single
     * queries. Every launch error names the launch.
     */
    private void split(int from, int to, long bytesPerQuery, RangeLaunch body, QueryName name) {
        int chunk = Splitting.initialChunk(to - from, heap.available(ctx.upload.capacity() + ctx.work.capacity()) / 2, bytesPerQuery);
        int lo = from;
        while (lo < to) {
            int hi = (int) Math.min((long) lo + chunk, to);
            try {
                body.run(lo, hi);
                lo = hi;
            } catch (DeviceOutOfMemoryException e) {
                if (hi - lo == 1) {
                    throw new DeviceOutOfMemoryException("launch #" + (launches + 1) + ": " + name.of(lo)
                            + " alone does not fit in device memory: " + e.getMessage());
                }
                chunk = Splitting.halve(hi - lo);
                splits++;
                dropCaches();
            } catch (CudaException e) {
                throw new CudaException(e.getMessage() + " (launch #" + (launches + 1) + ": queries [" + lo + ", " + hi
                        + "), from " + name.of(lo) + ", kernels " + ctx.kernels + ")", e);
            }
        }
    }

    /** Frees what can be rebuilt (arenas) to make room after an out-of-memory. */
    private void dropCaches() {
        for (ArModel m : arModels) m.dropCaches();
        ctx.releaseResident();
        ctx.work.release();
        ctx.upload.release();
    }

    // ------------------------------------------------------------------------------ helpers

    /**
     * Whether {@code oracle} (a {@link ConditionalOracle} or a {@link Denoiser}) is evaluated on the
     * device; resolves its device model as a first query would. The GPU tests use it so that a model
     * meant for the device cannot quietly pass by running on the CPU.
     */
    boolean onDevice(Object oracle) {
        checkOpen();
        device.bind();
        if (oracle instanceof ConditionalOracle o) return arModel(o) != null;
        if (oracle instanceof Denoiser d) return driftModel(d) != null;
        throw new IllegalArgumentException("not an oracle or denoiser: " + oracle);
    }

    /** Whether any oracle or denoiser was evaluated on the CPU fallback (for tests). */
    boolean usedCpuThreads() {
        return cpu != null;
    }

    /** One line per class the first time one of its instances gets a device model: where it runs. */
    private void placed(Class<?> type, String what) {
        if (onDevice.add(type)) LOG.info("cuda: {} runs on the device ({})", what, device.describe());
    }

    private CpuBackend cpu(Class<?> type, String what) {
        if (hostOnly.add(type)) {
            if (what.endsWith(" ")) what += "of " + type.getName(); // anonymous classes describe themselves as ""
            LOG.warn("cuda: {} runs on CPU threads: it has no CUDA implementation", what);
        }
        if (cpu == null) {
            int threads = options.cpuThreads() > 0 ? options.cpuThreads() : Runtime.getRuntime().availableProcessors();
            cpu = new CpuBackend(threads);
        }
        return cpu;
    }

    private ArModel.Uploader uploader() {
        return new ArModel.Uploader() {
            @Override
            public DeviceMemory doubles(double[] data, String what) {
                HostBuffer st = ctx.staging(8L * data.length);
                st.buffer.asDoubleBuffer().put(data);
                return copy(st, 8L * data.length, what);
            }

            @Override
            public DeviceMemory ints(int[] data, String what) {
                HostBuffer st = ctx.staging(4L * data.length);
                st.buffer.asIntBuffer().put(data);
                return copy(st, 4L * data.length, what);
            }

            @Override
            public DeviceMemory longs(long[] data, String what) {
                HostBuffer st = ctx.staging(8L * data.length);
                st.buffer.asLongBuffer().put(data);
                return copy(st, 8L * data.length, what);
            }

            private DeviceMemory copy(HostBuffer st, long bytes, String what) {
                DeviceMemory m = heap.allocate(Math.max(bytes, 8), what);
                try {
                    device.upload(m, 0, st, 0, bytes);
                    device.synchronize(); // the staging buffer is reused right away
                } catch (RuntimeException e) {
                    heap.free(m);
                    throw e;
                }
                return m;
            }
        };
    }

    /** The launch context, bound to the calling thread (for the tests' device draws, CudaDraws). */
    Ctx context() {
        checkOpen();
        device.bind();
        return ctx;
    }

    DeviceHeap heap() {
        return heap;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the CUDA backend is closed");
    }

    /** Frees every device and host resource, also after errors; the first failure is rethrown. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        List<AutoCloseable> steps = new ArrayList<>();
        steps.addAll(arModels);
        steps.addAll(driftModels);
        steps.add(heap);
        steps.add(device);
        if (cpu != null) steps.add(cpu);
        try {
            device.bind();
        } catch (RuntimeException e) {
            first = e;
        }
        for (AutoCloseable s : steps) {
            try {
                s.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new CudaException("closing " + s, e);
                if (first == null) first = r; else first.addSuppressed(r);
            }
        }
        arModels.clear();
        driftModels.clear();
        if (first != null) throw first;
    }
}
