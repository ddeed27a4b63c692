package io.autospec.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel names and argument struct sizes, mirroring kernels/*_kernels.cuh (the X-macro lists there),
 * and the compiled modules on the classpath ({@code io/autospec/cuda/kernels/<module>.fatbin} and
 * the portable {@code <module>.ptx}, written by native-build/build-kernels.sh), followed by the
 * modules that families added through {@link io.autospec.cuda.spi} name ({@link io.autospec.cuda.spi.KernelModule}).
 */
final class Kernels {
    private Kernels() {}

    static final String RESOURCE_DIR = "/io/autospec/cuda/kernels/";

    // ar_kernels.cuh
    static final String SCATTER_INTS = "as_scatter_ints";
    static final int SCATTER_INTS_ARGS = 32;
    static final String AR_EXPAND = "as_ar_expand";
    static final int AR_EXPAND_ARGS = 64;
    static final String PRODUCT = "as_ar_product";
    static final int PRODUCT_ARGS = 40;
    static final String MARKOV = "as_ar_markov";
    static final int MARKOV_ARGS = 88;
    static final String CURIE_WEISS = "as_ar_curie_weiss";
    static final int CURIE_WEISS_ARGS = 80;
    static final String PARITY = "as_ar_parity";
    static final int PARITY_ARGS = 64;
    static final String TABLE = "as_ar_table";
    static final int TABLE_ARGS = 72;
    // validate_kernels.cuh (in ar.cu)
    static final String VALIDATE_ROWS = "as_validate_rows";
    static final int VALIDATE_ROWS_ARGS = 56;
    // det_kernels.cuh
    static final String DET_ROW = "as_det_row";
    static final int DET_ROW_ARGS = 72;
    static final String DET_QUERY = "as_det_query";
    static final int DET_QUERY_ARGS = 56;
    // diffusion_kernels.cuh
    static final String MIXTURE_INNER = "as_mixture_inner";
    static final int MIXTURE_INNER_ARGS = 40;
    static final String MIXTURE_WEIGHTS = "as_mixture_weights";
    static final int MIXTURE_WEIGHTS_ARGS = 80;
    static final String MIXTURE_MEAN = "as_mixture_mean";
    static final int MIXTURE_MEAN_ARGS = 56;
    static final String BOX = "as_box";
    static final int BOX_ARGS = 56;
    // draw_kernels.cuh
    static final String PHILOX = "as_philox";
    static final int PHILOX_ARGS = 40;
    static final String CATEGORICAL = "as_categorical";
    static final int CATEGORICAL_ARGS = 48;
    static final String NORMALS = "as_normals";
    static final int NORMALS_ARGS = 40;
    static final String LOG_SUM = "as_log_sum";
    static final int LOG_SUM_ARGS = 56;
    // fixed_point_kernels.cuh
    static final String FP_NOISE = "as_fp_noise";
    static final int FP_NOISE_ARGS = 32;
    static final String FP_QUERIES = "as_fp_queries";
    static final int FP_QUERIES_ARGS = 80;
    static final String FP_SUMMARIES = "as_fp_summaries";
    static final int FP_SUMMARIES_ARGS = 112;
    static final String FP_SUM_CHUNKS = "as_fp_sum_chunks";
    static final int FP_SUM_CHUNKS_ARGS = 112;
    static final String FP_SUM_FINAL = "as_fp_sum_final";
    static final int FP_SUM_FINAL_ARGS = 112;
    static final String FP_SUM_PREFIX = "as_fp_sum_prefix";
    static final int FP_SUM_PREFIX_ARGS = 112;
    static final String FP_SUM_SLOTS = "as_fp_sum_slots";
    static final int FP_SUM_SLOTS_ARGS = 112;
    static final String FP_DRAW = "as_fp_draw";
    static final int FP_DRAW_ARGS = 128;
    static final String FP_ADVANCE = "as_fp_advance";
    static final int FP_ADVANCE_ARGS = 72;
    static final String AUTO_POLICY = "as_auto_policy";
    static final int AUTO_POLICY_ARGS = 104;
    // token_kernels.cuh
    static final String TOK_QUERIES = "as_tok_queries";
    static final int TOK_QUERIES_ARGS = 64;
    static final String TOK_DRAW = "as_tok_draw";
    static final int TOK_DRAW_ARGS = 104;
    static final String TOK_ADVANCE = "as_tok_advance";
    static final int TOK_ADVANCE_ARGS = 112;
    // nn_kernels.cuh (nn.cu)
    static final String NN_MATMUL = "as_nn_matmul";
    static final int NN_MATMUL_ARGS = 80;
    static final String NN_UNARY = "as_nn_unary";
    static final int NN_UNARY_ARGS = 32;
    static final String NN_BINARY = "as_nn_binary";
    static final int NN_BINARY_ARGS = 184;
    static final String NN_INT_BINARY = "as_nn_int_binary";
    static final int NN_INT_BINARY_ARGS = 184;
    static final String NN_WHERE = "as_nn_where";
    static final int NN_WHERE_ARGS = 240;
    static final String NN_COPY = "as_nn_copy";
    static final int NN_COPY_ARGS = 192;
    static final String NN_REDUCE = "as_nn_reduce";
    static final int NN_REDUCE_ARGS = 48;
    static final String NN_SOFTMAX = "as_nn_softmax";
    static final int NN_SOFTMAX_ARGS = 32;
    static final String NN_GATHER = "as_nn_gather";
    static final int NN_GATHER_ARGS = 56;
    static final String NN_CAST = "as_nn_cast";
    static final int NN_CAST_ARGS = 32;

    /** Every kernel the backend launches; a device resolves them all when it opens. */
    static final List<String> ALL = List.of(SCATTER_INTS, AR_EXPAND, PRODUCT, MARKOV, CURIE_WEISS, PARITY, TABLE, VALIDATE_ROWS, DET_ROW, DET_QUERY,
            MIXTURE_INNER, MIXTURE_WEIGHTS, MIXTURE_MEAN, BOX, PHILOX, CATEGORICAL, NORMALS, LOG_SUM,
            FP_NOISE, FP_QUERIES, FP_SUMMARIES, FP_SUM_CHUNKS, FP_SUM_FINAL, FP_SUM_PREFIX, FP_SUM_SLOTS, FP_DRAW, FP_ADVANCE, AUTO_POLICY,
            TOK_QUERIES, TOK_DRAW, TOK_ADVANCE,
            NN_MATMUL, NN_UNARY, NN_BINARY, NN_INT_BINARY, NN_WHERE, NN_COPY, NN_REDUCE, NN_SOFTMAX, NN_GATHER, NN_CAST);

    /**
     * A compiled module: its name, its fatbin (SASS for sm_80/sm_90 and PTX ISA 9.0: CUDA 13 drivers)
     * and its portable PTX (ISA 8.0, target sm_75: any CUDA 12.0+ driver JIT-compiles it),
     * NUL-terminated as cuModuleLoadData requires of PTX text.
     */
    record Module(String name, byte[] fatbin, byte[] ptx) {}

    /** Whether this jar carries compiled kernels (false when it was built without nvcc). */
    static boolean present() {
        return Kernels.class.getResource(RESOURCE_DIR + "kernels.list") != null;
    }

    /** Every kernel a device resolves when it opens: the backend's and those of the extension families' modules. */
    static List<String> all() {
        List<String> all = new ArrayList<>(ALL);
        for (io.autospec.cuda.spi.KernelModule m : extensionModules()) {
            for (String k : m.kernels()) if (!all.contains(k)) all.add(k);
        }
        return all;
    }

    /** The kernel modules of the families added through the public SPI. */
    static List<io.autospec.cuda.spi.KernelModule> extensionModules() {
        List<io.autospec.cuda.spi.KernelModule> modules = new ArrayList<>();
        for (io.autospec.cuda.spi.DeviceFamily f : DeviceFamily.Registry.EXTENSIONS) modules.addAll(f.kernelModules());
        return modules;
    }

    /** Reads the compiled modules from the classpath: the backend's, then the extension families'. */
    static List<Module> load() {
        byte[] list = read("kernels.list");
        if (list == null) {
            throw new CudaException("this autospec jar has no CUDA kernels (it was built without nvcc; "
                    + "rebuild with nvcc on the PATH, see native-build/README.md)");
        }
        List<Module> modules = new ArrayList<>();
        for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) continue;
            byte[] fatbin = read(name + ".fatbin");
            byte[] ptx = read(name + ".ptx");
            if (fatbin == null || ptx == null) {
                throw new CudaException("kernel module " + name + (fatbin == null ? ".fatbin" : ".ptx") + " is listed but missing from the jar");
            }
            modules.add(new Module(name, fatbin, java.util.Arrays.copyOf(ptx, ptx.length + 1)));
        }
        for (io.autospec.cuda.spi.KernelModule m : extensionModules()) modules.add(module(m));
        return modules;
    }

    /** An extension family's module, both images present (a missing one is named). */
    static Module module(io.autospec.cuda.spi.KernelModule m) {
        byte[] fatbin = m.read(".fatbin");
        byte[] ptx = m.read(".ptx");
        if (fatbin == null || ptx == null) {
            throw new CudaException("kernel module " + m.resourceDir() + m.name() + (fatbin == null ? ".fatbin" : ".ptx")
                    + " of " + m.owner().getName() + " is missing from the classpath");
        }
        return new Module(m.name(), fatbin, java.util.Arrays.copyOf(ptx, ptx.length + 1));
    }

    private static byte[] read(String file) {
        try (InputStream in = Kernels.class.getResourceAsStream(RESOURCE_DIR + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new CudaException("cannot read kernel resource " + RESOURCE_DIR + file, e);
        }
    }
}
