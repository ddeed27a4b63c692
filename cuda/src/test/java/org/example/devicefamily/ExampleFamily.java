package org.example.devicefamily;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.ConditionalQueries;
import io.autospec.cuda.spi.ArDeviceModel;
import io.autospec.cuda.spi.ArLaunch;
import io.autospec.cuda.spi.ArgWriter;
import io.autospec.cuda.spi.DeviceFamily;
import io.autospec.cuda.spi.DriftDeviceModel;
import io.autospec.cuda.spi.DriftLaunch;
import io.autospec.cuda.spi.Uploader;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftQueries;
import io.autospec.diffusion.models.BoxUniform;

/**
 * A device family written as a third party would, against the public SPI only, in a package of its
 * own and registered by the test classpath's {@code META-INF/services/io.autospec.cuda.spi.DeviceFamily}.
 * Its oracle and denoiser are classes no built-in family knows; it launches built-in kernels (the
 * host emulator runs only those), so it ships no {@code KernelModule}.
 */
public final class ExampleFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public ExampleFamily() {}

    @Override
    public ArDeviceModel arModel(ConditionalOracle oracle) {
        return oracle instanceof Marginals m ? new MarginalsModel(m) : null;
    }

    @Override
    public DriftDeviceModel driftModel(Denoiser denoiser) {
        return denoiser instanceof Cube c ? new CubeModel(c) : null;
    }

    /** Independent positions with fixed marginals, row-major n x q. */
    public record Marginals(int length, int alphabet, double[] p) implements ConditionalOracle {
        @Override
        public String describe() {
            return "example marginals(n=" + length + ", q=" + alphabet + ")";
        }

        @Override
        public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
            for (int j = from; j < to; j++) {
                int pos = batch.position(j);
                System.arraycopy(p, pos * alphabet, out, j * alphabet, alphabet);
            }
        }
    }

    /** Uniform on [lo, hi]^d, evaluated on the host by the core's box denoiser. */
    public record Cube(BoxUniform box) implements Denoiser {
        @Override
        public int dimension() {
            return box.dimension();
        }

        @Override
        public void denoise(DriftQueries batch, int from, int to, double[] out) {
            box.denoise(batch, from, to, out);
        }
    }

    /** The built-in product kernel: struct {count, queries, marginals, out, q, pad}. */
    private static final class MarginalsModel implements ArDeviceModel {
        private final Marginals oracle;
        private long marginals;

        MarginalsModel(Marginals oracle) {
            this.oracle = oracle;
        }

        @Override
        public String kernel() {
            return "as_ar_product";
        }

        @Override
        public int argsBytes() {
            return 40;
        }

        @Override
        public void upload(Uploader up) {
            marginals = up.doubles(oracle.p(), "example marginals");
        }

        @Override
        public void writeArgs(ArgWriter w, ArLaunch l) {
            w.i64(l.count()).i64(l.queries()).i64(marginals).i64(l.out()).i32(oracle.alphabet()).i32(0);
        }
    }

    /** The built-in box kernel, one item per coordinate: struct {items, times, points, lower, upper, out, d, pad}. */
    private static final class CubeModel implements DriftDeviceModel {
        private final Cube cube;
        private long lower, upper;

        CubeModel(Cube cube) {
            this.cube = cube;
        }

        @Override
        public String kernel() {
            return "as_box";
        }

        @Override
        public int argsBytes() {
            return 56;
        }

        @Override
        public void upload(Uploader up) {
            int d = cube.dimension();
            lower = up.doubles(java.util.Collections.nCopies(d, cube.box().lo()).stream().mapToDouble(x -> x).toArray(), "cube lower bounds");
            upper = up.doubles(java.util.Collections.nCopies(d, cube.box().hi()).stream().mapToDouble(x -> x).toArray(), "cube upper bounds");
        }

        @Override
        public long items(int queries, int d) {
            return (long) queries * d;
        }

        @Override
        public void writeArgs(ArgWriter w, DriftLaunch l) {
            w.i64(l.items()).i64(l.times()).i64(l.points()).i64(lower).i64(upper).i64(l.out()).i32(l.d()).i32(0);
        }
    }
}
