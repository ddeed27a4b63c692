package io.autospec.cuda;

import io.autospec.nn.Executor;
import io.autospec.nn.NnException;
import io.autospec.nn.Plan;
import io.autospec.nn.Slot;
import io.autospec.nn.Step;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Plan} on a {@link Device} with the kernels of nn.cu, giving the bits of the Java
 * executor (see {@link Step}). Opening allocates every slot once (the plan's static sizes), uploads
 * the constants, zeroes the activations and prepares each step's launch ({@link NetLaunch}); a run uploads the inputs through
 * a pinned staging buffer, launches one kernel per step on the device's stream, downloads the outputs
 * and synchronizes. Everything is freed by {@link #close} (and on a failed open), the device too when
 * the executor owns it.
 */
final class CudaNetExecutor implements Executor {
    /** Largest pinned staging buffer: bigger transfers go through it in chunks. */
    static final long STAGING_BYTES = 16L << 20;

    private final Plan plan;
    private final Device device;
    private final boolean ownsDevice;
    private final DeviceHeap heap;
    private final DeviceMemory[] memory;
    private final List<NetLaunch> launches = new ArrayList<>();
    /** A Gather whose indices are plan input {@code input}: its values must lie in [-axis, axis). */
    private record IndexCheck(int input, long axis) {}

    private final List<IndexCheck> indexChecks = new ArrayList<>();
    private final PinnedBuffer upStaging, downStaging;
    private boolean closed;

    private CudaNetExecutor(Plan plan, Device device, boolean ownsDevice) {
        this.plan = plan;
        this.device = device;
        this.ownsDevice = ownsDevice;
        this.heap = new DeviceHeap(device, Long.MAX_VALUE);
        this.memory = new DeviceMemory[plan.slots().size()];
        this.upStaging = new PinnedBuffer(heap, "network input staging");
        this.downStaging = new PinnedBuffer(heap, "network output staging");
    }

    /**
     * Opens {@code plan} on {@code device} (closing the device with the executor when {@code ownsDevice}).
     * On failure everything allocated is freed (the device closed if owned) and an {@link NnException}
     * says what failed: a slot that does not fit names the slot and its bytes.
     */
    static CudaNetExecutor open(Plan plan, Device device, boolean ownsDevice) {
        CudaNetExecutor e = new CudaNetExecutor(plan, device, ownsDevice);
        try {
            e.init();
            return e;
        } catch (RuntimeException | Error failure) {
            try {
                e.close();
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
            if (failure instanceof CudaException c) throw new NnException("cuda: opening the network failed: " + c.getMessage(), c);
            throw failure;
        }
    }

    private void init() {
        device.bind();
        List<Slot> slots = plan.slots();
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.id() != i) throw new NnException("cuda: slot " + s.name() + " has id " + s.id() + " at position " + i + " of the plan");
            if (s.elements() < 0) throw new NnException("cuda: slot " + s.name() + " has " + s.elements() + " elements");
            if (s.elements() == 0) continue;
            long bytes = Math.multiplyExact(s.elements(), 4L);
            try {
                memory[i] = heap.allocate(bytes, "slot " + s.name());
            } catch (DeviceOutOfMemoryException oom) {
                throw new NnException("cuda: slot " + s.name() + " (" + bytes + " bytes) does not fit on " + device.describe()
                        + ": " + oom.getMessage(), oom);
            }
        }
        long upBytes = 4, downBytes = 4;
        for (Slot s : slots) {
            if (s.kind() == Slot.Kind.CONSTANT) {
                long have = s.type() == Slot.Type.FLOAT ? s.floats().length : s.ints().length;
                if (have != s.elements()) throw new NnException("cuda: constant slot " + s.name() + " holds " + have + " values, not " + s.elements());
                upBytes = Math.max(upBytes, 4 * s.elements());
            }
        }
        long inputBytes = 0, outputBytes = 0;
        for (int id : plan.inputSlots()) inputBytes += 4 * slot(id).elements();
        for (int id : plan.outputSlots()) outputBytes += 4 * slot(id).elements();
        upStaging.ensure(Math.min(STAGING_BYTES, Math.max(upBytes, Math.max(inputBytes, 4))));
        downStaging.ensure(Math.min(STAGING_BYTES, Math.max(outputBytes, 4)));

        List<Object> constants = new ArrayList<>();
        List<Integer> constantSlots = new ArrayList<>();
        for (Slot s : slots) {
            if (s.kind() == Slot.Kind.CONSTANT && s.elements() > 0) {
                constants.add(s.type() == Slot.Type.FLOAT ? s.floats() : s.ints());
                constantSlots.add(s.id());
            }
        }
        upload(constants, constantSlots.stream().mapToInt(Integer::intValue).toArray());
        device.synchronize();
        zeroActivations();

        for (Step step : plan.steps()) {
            checkSlot(step, step.out());
            NetLaunch l = NetLaunch.of(step, id -> {
                checkSlot(step, id);
                return memory[id] == null ? 0 : memory[id].address;
            });
            if (l != null) launches.add(l);
            if (step instanceof Step.Gather g) {
                for (int i = 0; i < plan.inputSlots().length; i++) {
                    if (plan.inputSlots()[i] == g.indices()) {
                        indexChecks.add(new IndexCheck(i, g.axisLen()));
                    }
                }
            }
        }
    }

    /**
     * Activation slots start as zeros, like the Java executor's arrays: a step that writes only part
     * of its slot (a Copy into a padded or concatenated buffer) finds zeros elsewhere, on every device.
     */
    private void zeroActivations() {
        HostBuffer host = upStaging.ensure(4);
        long cap = host.bytes & ~3L;
        ByteBuffer b = host.buffer.duplicate();
        for (long i = 0; i < cap; i++) b.put((int) i, (byte) 0);
        for (Slot s : plan.slots()) {
            if (s.kind() != Slot.Kind.ACTIVATION || memory[s.id()] == null) continue;
            for (long done = 0, bytes = memory[s.id()].bytes; done < bytes; done += cap) {
                device.upload(memory[s.id()], done, host, 0, Math.min(cap, bytes - done));
            }
        }
        device.synchronize();
    }

    private Slot slot(int id) {
        if (id < 0 || id >= plan.slots().size()) throw new NnException("cuda: slot " + id + " is not in the plan");
        return plan.slots().get(id);
    }

    private void checkSlot(Step step, int id) {
        if (id < 0 || id >= memory.length) {
            throw new NnException("cuda: " + step.getClass().getSimpleName() + " names slot " + id + ", the plan has " + memory.length);
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Plan plan() {
        return plan;
    }

    /** What the device is, as its one-line description. */
    public String device() {
        return device.describe();
    }

    @Override
    public void run(Object[] inputs, float[][] outputs) {
        if (closed) throw new NnException("cuda: the executor is closed");
        int[] in = plan.inputSlots(), out = plan.outputSlots();
        if (inputs == null || inputs.length != in.length) {
            throw new NnException("cuda: " + (inputs == null ? 0 : inputs.length) + " inputs given, the network takes " + in.length + " " + plan.inputNames());
        }
        if (outputs == null || outputs.length != out.length) {
            throw new NnException("cuda: " + (outputs == null ? 0 : outputs.length) + " output arrays given, the network has " + out.length + " " + plan.outputNames());
        }
        for (int i = 0; i < in.length; i++) {
            Slot s = slot(in[i]);
            String name = plan.inputNames().get(i);
            Object v = inputs[i];
            boolean typeOk = s.type() == Slot.Type.FLOAT ? v instanceof float[] : v instanceof int[];
            if (!typeOk) {
                throw new NnException("cuda: input " + name + " must be " + (s.type() == Slot.Type.FLOAT ? "float[]" : "int[]")
                        + ", got " + (v == null ? "null" : v.getClass().getSimpleName()));
            }
            long len = v instanceof float[] f ? f.length : ((int[]) v).length;
            if (len != s.elements()) throw new NnException("cuda: input " + name + " has " + len + " elements, the plan needs " + s.elements());
        }
        for (int i = 0; i < out.length; i++) {
            if (outputs[i] == null || outputs[i].length != slot(out[i]).elements()) {
                throw new NnException("cuda: output " + plan.outputNames().get(i) + " needs an array of " + slot(out[i]).elements() + " floats, got "
                        + (outputs[i] == null ? "null" : String.valueOf(outputs[i].length)));
            }
        }
        for (IndexCheck c : indexChecks) {
            int i = c.input();
            long axis = c.axis();
            int[] idx = (int[]) inputs[i];
            for (int j = 0; j < idx.length; j++) {
                if (idx[j] < -axis || idx[j] >= axis) {
                    throw new NnException("cuda: input " + plan.inputNames().get(i) + "[" + j + "] = " + idx[j] + " is outside [" + -axis + ", " + axis + ")");
                }
            }
        }
        try {
            device.bind();
            upload(java.util.Arrays.asList(inputs), in);
            for (NetLaunch l : launches) device.launch(l.kernel(), l.grid(), l.block(), l.args());
            download(outputs, out);
        } catch (CudaException e) {
            throw new NnException("cuda: running the network failed: " + e.getMessage(), e);
        }
    }

    /** Copies each array (float[] or int[]) into its slot through the input staging buffer, in chunks. */
    private void upload(List<Object> arrays, int[] slotIds) {
        HostBuffer host = upStaging.ensure(4);
        long cap = host.bytes & ~3L, pos = 0;
        for (int a = 0; a < slotIds.length; a++) {
            Object array = arrays.get(a);
            DeviceMemory dst = memory[slotIds[a]];
            long bytes = 4L * (array instanceof float[] f ? f.length : ((int[]) array).length);
            for (long done = 0; done < bytes; ) {
                if (pos == cap) { // the staging buffer is full: wait until its copies are done before refilling it
                    device.synchronize();
                    pos = 0;
                }
                int n = (int) Math.min(bytes - done, cap - pos);
                ByteBuffer b = host.buffer.duplicate().order(host.buffer.order());
                b.position((int) pos);
                if (array instanceof float[] f) b.asFloatBuffer().put(f, (int) (done / 4), n / 4);
                else b.asIntBuffer().put((int[]) array, (int) (done / 4), n / 4);
                device.upload(dst, done, host, pos, n);
                pos += n;
                done += n;
            }
        }
    }

    /** Copies the output slots into {@code outputs} through the output staging buffer; INT slots as float values. */
    private void download(float[][] outputs, int[] slotIds) {
        HostBuffer host = downStaging.ensure(4);
        long cap = host.bytes & ~3L, pos = 0;
        List<long[]> pending = new ArrayList<>(); // {output, first element, staging position, bytes}
        for (int o = 0; o < slotIds.length; o++) {
            long bytes = 4L * outputs[o].length;
            for (long done = 0; done < bytes; ) {
                if (pos == cap) {
                    drain(outputs, slotIds, pending, host);
                    pos = 0;
                }
                int n = (int) Math.min(bytes - done, cap - pos);
                device.download(host, pos, memory[slotIds[o]], done, n);
                pending.add(new long[] {o, done / 4, pos, n});
                pos += n;
                done += n;
            }
        }
        drain(outputs, slotIds, pending, host);
    }

    private void drain(float[][] outputs, int[] slotIds, List<long[]> pending, HostBuffer host) {
        device.synchronize();
        for (long[] p : pending) {
            ByteBuffer b = host.buffer.duplicate().order(host.buffer.order());
            b.position((int) p[2]);
            float[] dst = outputs[(int) p[0]];
            int first = (int) p[1], count = (int) (p[3] / 4);
            if (slot(slotIds[(int) p[0]]).type() == Slot.Type.FLOAT) {
                b.asFloatBuffer().get(dst, first, count);
            } else {
                java.nio.IntBuffer ib = b.asIntBuffer();
                for (int j = 0; j < count; j++) dst[first + j] = ib.get(j);
            }
        }
        pending.clear();
    }

    /** Live device allocations of this executor (slots and staging). */
    int liveAllocations() {
        return heap.liveAllocations();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        try {
            device.bind();
            device.synchronize();
        } catch (RuntimeException e) {
            first = e;
        }
        try {
            heap.close();
        } catch (RuntimeException e) {
            if (first == null) first = e; else first.addSuppressed(e);
        }
        if (ownsDevice) {
            try {
                device.close();
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        if (first != null) throw first instanceof CudaException c ? new NnException("cuda: closing the network failed: " + c.getMessage(), c) : first;
    }
}
