package io.autospec.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Device} backed by the host emulator process (cuda/src/test/native/device_emulator.cpp): device
 * memory is the emulator's heap, kernels run the same item functions as the CUDA kernels. Pinned
 * buffers are direct byte buffers. Synchronous (every call is a round
 * trip), so {@link #synchronize} has nothing to wait for.
 */
final class EmulatedDevice implements Device {
    private final Process process;
    private final OutputStream out;
    private final InputStream in;
    private final long capacity;
    private final ByteBuffer header = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
    private long launches;
    private boolean closed;
    /** {live bytes, live allocations, capacity} just before close (what the backend left behind). */
    long[] atClose;

    /** Starts an emulator with {@code capacity} bytes of device memory. */
    EmulatedDevice(java.nio.file.Path executable, long capacity) {
        this.capacity = capacity;
        try {
            process = new ProcessBuilder(executable.toString(), Long.toString(capacity))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        in = new BufferedInputStream(process.getInputStream(), 1 << 16);
    }

    long launches() {
        return launches;
    }

    private ByteBuffer start(int op) {
        header.clear();
        header.put((byte) op);
        return header;
    }

    private void send(ByteBuffer h) {
        try {
            out.write(h.array(), 0, h.position());
        } catch (IOException e) {
            throw died(e);
        }
    }

    private void send(byte[] data, int off, int len) {
        try {
            out.write(data, off, len);
        } catch (IOException e) {
            throw died(e);
        }
    }

    /** Flushes the request and reads the status; throws the emulator's error as a CudaException. */
    private void await(String call) {
        try {
            out.flush();
            int status = in.read();
            if (status < 0) throw died(null);
            if (status != 0) {
                int n = (int) readLong(4);
                throw new CudaException(call + " failed in the device emulator: " + new String(in.readNBytes(n), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw died(e);
        }
    }

    private long readLong(int bytes) throws IOException {
        byte[] b = in.readNBytes(bytes);
        if (b.length != bytes) throw died(null);
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    private RuntimeException died(IOException e) {
        String why = "device emulator died";
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) why += " with exit code " + process.exitValue() + " (see stderr: AddressSanitizer report?)";
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return new CudaException(why, e);
    }

    @Override
    public String describe() {
        return "host emulator, " + capacity + " bytes";
    }

    @Override
    public long[] memoryInfo() {
        long[] info = info();
        return new long[] {capacity - info[0], capacity};
    }

    /** {live bytes, live allocations}. */
    long[] info() {
        send(start(7));
        await("INFO");
        try {
            return new long[] {readLong(8), readLong(8), readLong(8)};
        } catch (IOException e) {
            throw died(e);
        }
    }

    @Override
    public DeviceMemory allocate(long bytes) {
        send(start(1).putLong(bytes));
        await("ALLOC");
        long addr;
        try {
            addr = readLong(8);
        } catch (IOException e) {
            throw died(e);
        }
        if (addr == 0) throw new DeviceOutOfMemoryException("emulated cuMemAlloc(" + bytes + " bytes) failed: CUDA_ERROR_OUT_OF_MEMORY");
        return new DeviceMemory(addr, bytes, null);
    }

    @Override
    public void free(DeviceMemory memory) {
        send(start(2).putLong(memory.address));
        await("FREE");
    }

    @Override
    public HostBuffer allocateHost(long bytes) {
        return new HostBuffer(ByteBuffer.allocateDirect((int) bytes), bytes, null);
    }

    @Override
    public void freeHost(HostBuffer buffer) {}

    @Override
    public void upload(DeviceMemory dst, long dstOffset, HostBuffer src, long srcOffset, long bytes) {
        if (bytes == 0) return;
        send(start(3).putLong(dst.address + dstOffset).putLong(bytes));
        byte[] chunk = new byte[(int) Math.min(bytes, 1 << 16)];
        ByteBuffer s = src.buffer.duplicate();
        s.position((int) srcOffset).limit((int) (srcOffset + bytes));
        while (s.hasRemaining()) {
            int n = Math.min(chunk.length, s.remaining());
            s.get(chunk, 0, n);
            send(chunk, 0, n);
        }
        await("HTOD");
    }

    @Override
    public void download(HostBuffer dst, long dstOffset, DeviceMemory src, long srcOffset, long bytes) {
        if (bytes == 0) return;
        send(start(4).putLong(src.address + srcOffset).putLong(bytes));
        await("DTOH");
        try {
            ByteBuffer d = dst.buffer.duplicate();
            d.position((int) dstOffset);
            byte[] chunk = new byte[(int) Math.min(bytes, 1 << 16)];
            long left = bytes;
            while (left > 0) {
                int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, left));
                if (n <= 0) throw died(null);
                d.put(chunk, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw died(e);
        }
    }

    @Override
    public void launch(String kernel, int grid, int block, ByteBuffer args) {
        byte[] name = kernel.getBytes(StandardCharsets.US_ASCII);
        send(start(5).putInt(name.length));
        send(name, 0, name.length);
        byte[] a = new byte[args.remaining()];
        args.duplicate().get(a);
        header.clear();
        send(header.putInt(grid).putInt(block).putInt(a.length));
        send(a, 0, a.length);
        await("launch of " + kernel);
        launches++;
    }

    @Override
    public void synchronize() {}

    @Override
    public void bind() {}

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            atClose = info();
            send(start(8));
            await("QUIT");
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            // already gone
        } finally {
            process.destroyForcibly();
        }
    }
}
