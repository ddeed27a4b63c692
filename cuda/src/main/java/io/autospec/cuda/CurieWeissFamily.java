package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.CurieWeiss;
import java.nio.ByteBuffer;

/** Device family: The Curie-Weiss model ({@code CurieWeiss}): sums over the free spins' magnetisation, with log-factorials. */
public final class CurieWeissFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public CurieWeissFamily() {}

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        return oracle instanceof CurieWeiss c ? new Model(c, heap) : null;
    }

    static final class Model extends ArModel {
        private final CurieWeiss cw;
        private DeviceMemory logFactorial, logConcave;

        Model(CurieWeiss cw, DeviceHeap heap) {
            super(cw, heap);
            this.cw = cw;
        }

        @Override
        void upload(Uploader up) {
            logFactorial = keep(up.doubles(cw.logFactorials(), "curie-weiss log factorials"));
            int[] concave = new int[n];
            for (int u = 0; u < n; u++) concave[u] = cw.logConcave(u) ? 1 : 0;
            logConcave = keep(up.ints(concave, "curie-weiss log-concavity"));
        }

        @Override
        String kernel() {
            return Kernels.CURIE_WEISS;
        }

        @Override
        boolean usesSummaries() {
            return true;
        }

        @Override
        Summary residentSummary() {
            return Summary.SUM; // CurieWeiss.prefixSummary: ones + value
        }

        @Override
        int maxPinned() {
            return n - 1; // the queried position is free
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.CURIE_WEISS_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(l.upload(), l.summariesOffset()).ptr(logFactorial, 0).ptr(logConcave, 0).ptr(l.work(), l.outOffset())
                    .f64(cw.beta()).f64(cw.field()).f64(CurieWeiss.CUTOFF).i32(n).i32(0).end();
        }
    }
}
