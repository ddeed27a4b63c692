package io.autospec.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;

/**
 * A GPU through the JCuda driver API (libcuda.so.1 only: no CUDA toolkit library): the device's
 * primary context, one non-blocking stream, and the kernel modules loaded from the classpath with
 * cuModuleLoadData (the fatbin, or the portable PTX where the driver refuses it: {@link ModuleLoading}). The only class that
 * touches JCuda besides {@link CudaProbe}. Every call's status is checked; failures become
 * {@link CudaException}s naming the call ({@link DeviceOutOfMemoryException} for a full device).
 */
final class JCudaDevice implements Device {

    /** A device pointer whose raw address can be read (kernel argument structs hold addresses). */
    private static final class Ptr extends CUdeviceptr {
        long address() {
            return getNativePointer();
        }
    }

    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Set<DeviceMemory> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<HostBuffer> liveHost = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Graph> liveGraphs = Collections.newSetFromMap(new IdentityHashMap<>());
    private String description;
    private boolean closed;

    private JCudaDevice(int ordinal) {
        this.ordinal = ordinal;
    }

    /** Opens device {@code ordinal}; on failure everything acquired so far is released. */
    static JCudaDevice open(int ordinal) {
        JCudaDevice d = new JCudaDevice(ordinal);
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            d.init(undo);
            return d;
        } catch (RuntimeException | Error e) {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private void init(Deque<Runnable> undo) {
        check(cuInit(0), "cuInit");
        int[] count = new int[1];
        check(cuDeviceGetCount(count), "cuDeviceGetCount");
        if (ordinal < 0 || ordinal >= count[0]) {
            throw new CudaException("CUDA device " + ordinal + " does not exist (" + count[0] + " device(s) visible)");
        }
        check(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] name = new byte[256];
        check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int[] major = new int[1], minor = new int[1];
        check(cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute");
        check(cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute");

        check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        undo.push(() -> cuDevicePrimaryCtxRelease(device));
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
        check(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        undo.push(() -> cuStreamDestroy(stream));

        String images = null;
        for (Kernels.Module m : Kernels.load()) {
            CUmodule[] loaded = new CUmodule[1];
            ModuleLoading.Loaded how = ModuleLoading.load(m, image -> {
                CUmodule module = new CUmodule();
                int rc = cuModuleLoadData(module, image);
                if (rc == CUresult.CUDA_SUCCESS) loaded[0] = module;
                return rc;
            });
            CUmodule module = loaded[0];
            modules.add(module);
            undo.push(() -> cuModuleUnload(module));
            if (how.fatbinRefusal() != null && images == null) {
                images = "portable PTX (the driver refused the fatbin: " + how.fatbinRefusal() + ")";
            }
        }
        for (String kernel : Kernels.all()) {
            for (CUmodule module : modules) {
                CUfunction f = new CUfunction();
                if (cuModuleGetFunction(f, module, kernel) == CUresult.CUDA_SUCCESS) {
                    functions.put(kernel, f);
                    break;
                }
            }
            if (!functions.containsKey(kernel)) throw new CudaException("kernel " + kernel + " is in none of the loaded modules");
        }

        long[] mem = memoryInfo();
        description = String.format("%s, sm_%d%d, %.1f GiB, device %d", new String(name, StandardCharsets.US_ASCII).trim().replace("\0", ""),
                major[0], minor[0], mem[1] / (double) (1L << 30), ordinal) + (images == null ? "" : ", kernels: " + images);
    }

    static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) throw failure(rc, call);
    }

    /** The exception for a failed call (rc != CUDA_SUCCESS). */
    static CudaException failure(int rc, String call) {
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) return new DeviceOutOfMemoryException(call + " failed: CUDA_ERROR_OUT_OF_MEMORY");
        return new CudaException(call + " failed: " + CUresult.stringFor(rc));
    }

    /** Device and pinned allocations and graphs made through this device and not freed yet. */
    int liveAllocations() {
        return live.size() + liveHost.size() + liveGraphs.size();
    }

    /** A captured CUDA graph and its executable instance; one cuGraphLaunch a replay. */
    private final class Graph implements DeviceGraph {
        final CUgraph graph;
        final CUgraphExec exec;
        final int kernels;

        Graph(CUgraph graph, CUgraphExec exec, int kernels) {
            this.graph = graph;
            this.exec = exec;
            this.kernels = kernels;
        }

        @Override
        public void launch() {
            if (!liveGraphs.contains(this)) throw new IllegalStateException("the CUDA graph is closed");
            check(cuGraphLaunch(exec, stream), "cuGraphLaunch");
        }

        @Override
        public int kernels() {
            return kernels;
        }

        @Override
        public void close() {
            if (!liveGraphs.remove(this)) return;
            int rcExec = cuGraphExecDestroy(exec), rcGraph = cuGraphDestroy(graph);
            check(rcExec, "cuGraphExecDestroy");
            check(rcGraph, "cuGraphDestroy");
        }
    }

    /**
     * Captures the body's work on this device's stream as a CUDA graph (stream capture, thread-local
     * mode: other threads' CUDA calls are not disturbed). A body that fails leaves no capture open and
     * no graph behind.
     */
    @Override
    public DeviceGraph record(java.util.function.Consumer<Device> body) {
        // The body's stream work goes straight into the capture; it is counted, nothing else is allowed.
        RecordedGraph.StreamWork capturing = new RecordedGraph.StreamWork(this) {
            @Override
            public void upload(DeviceMemory dst, long dstOffset, HostBuffer src, long srcOffset, long bytes) {
                JCudaDevice.this.upload(dst, dstOffset, src, srcOffset, bytes);
            }

            @Override
            public void download(HostBuffer dst, long dstOffset, DeviceMemory src, long srcOffset, long bytes) {
                JCudaDevice.this.download(dst, dstOffset, src, srcOffset, bytes);
            }

            @Override
            public void launch(String kernel, int grid, int block, ByteBuffer args) {
                kernels++;
                JCudaDevice.this.launch(kernel, grid, block, args);
            }
        };
        check(cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
        CUgraph graph = new CUgraph();
        try {
            body.accept(capturing);
        } catch (RuntimeException | Error e) {
            if (cuStreamEndCapture(stream, graph) == CUresult.CUDA_SUCCESS) cuGraphDestroy(graph);
            throw e;
        }
        check(cuStreamEndCapture(stream, graph), "cuStreamEndCapture");
        CUgraphExec exec = new CUgraphExec();
        int rc = cuGraphInstantiate(exec, graph, 0);
        if (rc != CUresult.CUDA_SUCCESS) {
            cuGraphDestroy(graph);
            throw failure(rc, "cuGraphInstantiate");
        }
        Graph g = new Graph(graph, exec, capturing.kernels);
        liveGraphs.add(g);
        return g;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long[] memoryInfo() {
        long[] free = new long[1], total = new long[1];
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    @Override
    public DeviceMemory allocate(long bytes) {
        Ptr p = new Ptr();
        check(cuMemAlloc(p, bytes), "cuMemAlloc(" + bytes + " bytes)");
        DeviceMemory m = new DeviceMemory(p.address(), bytes, p);
        live.add(m);
        return m;
    }

    @Override
    public void free(DeviceMemory memory) {
        if (!live.remove(memory)) return;
        check(cuMemFree((Ptr) memory.handle), "cuMemFree");
    }

    @Override
    public HostBuffer allocateHost(long bytes) {
        Pointer p = new Pointer();
        check(cuMemAllocHost(p, bytes), "cuMemAllocHost(" + bytes + " bytes)");
        HostBuffer b = new HostBuffer(p.getByteBuffer(0, bytes), bytes, p);
        liveHost.add(b);
        return b;
    }

    @Override
    public void freeHost(HostBuffer buffer) {
        if (!liveHost.remove(buffer)) return;
        check(cuMemFreeHost((Pointer) buffer.handle), "cuMemFreeHost");
    }

    @Override
    public void upload(DeviceMemory dst, long dstOffset, HostBuffer src, long srcOffset, long bytes) {
        if (bytes == 0) return;
        bounds(dst, dstOffset, bytes, "cuMemcpyHtoDAsync");
        check(cuMemcpyHtoDAsync(((Ptr) dst.handle).withByteOffset(dstOffset), ((Pointer) src.handle).withByteOffset(srcOffset),
                bytes, stream), "cuMemcpyHtoDAsync(" + bytes + " bytes)");
    }

    @Override
    public void download(HostBuffer dst, long dstOffset, DeviceMemory src, long srcOffset, long bytes) {
        if (bytes == 0) return;
        bounds(src, srcOffset, bytes, "cuMemcpyDtoHAsync");
        check(cuMemcpyDtoHAsync(((Pointer) dst.handle).withByteOffset(dstOffset), ((Ptr) src.handle).withByteOffset(srcOffset),
                bytes, stream), "cuMemcpyDtoHAsync(" + bytes + " bytes)");
    }

    private static void bounds(DeviceMemory m, long offset, long bytes, String call) {
        if (offset < 0 || bytes < 0 || offset + bytes > m.bytes) {
            throw new IllegalArgumentException(call + ": [" + offset + ", " + (offset + bytes) + ") outside " + m);
        }
    }

    @Override
    public void launch(String kernel, int grid, int block, ByteBuffer args) {
        CUfunction f = functions.get(kernel);
        if (f == null) throw new CudaException("unknown kernel " + kernel);
        byte[] bytes = new byte[args.remaining()];
        args.duplicate().get(bytes);
        Pointer params = Pointer.to(Pointer.to(bytes));
        check(cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, stream, params, null),
                "cuLaunchKernel(" + kernel + ", grid " + grid + ", block " + block + ")");
    }

    @Override
    public void synchronize() {
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public void bind() {
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<RuntimeException> errors = new ArrayList<>();
        Runnable[] steps = {
            this::bind,
            this::synchronize,
            () -> {
                for (Graph g : liveGraphs.toArray(new Graph[0])) g.close();
                for (DeviceMemory m : live.toArray(new DeviceMemory[0])) free(m);
                for (HostBuffer b : liveHost.toArray(new HostBuffer[0])) freeHost(b);
            },
            () -> {
                for (CUmodule m : modules) check(cuModuleUnload(m), "cuModuleUnload");
                modules.clear();
            },
            () -> check(cuStreamDestroy(stream), "cuStreamDestroy"),
            () -> check(cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease"),
        };
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            RuntimeException first = errors.get(0);
            for (int i = 1; i < errors.size(); i++) first.addSuppressed(errors.get(i));
            throw first;
        }
    }
}
