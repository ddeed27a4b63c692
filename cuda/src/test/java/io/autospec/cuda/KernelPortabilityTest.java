package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

/**
 * Driver portability without a GPU: which kernel image is loaded for each answer a driver can give
 * (a fake loader returns the CUresult codes), and, when the build had nvcc, that the portable PTX in
 * the jar has the promised ISA and target, keeps every f64 add/sub/mul explicitly rounded, and
 * assembles with ptxas for every GPU generation it serves; planted variants show each check can fail.
 */
class KernelPortabilityTest {
    private static final byte[] FATBIN = {1}, PTX = {2, 0};
    private static final Kernels.Module MODULE = new Kernels.Module("ar", FATBIN, PTX);

    /** A driver that answers the fatbin with {@code fatbin} and the PTX with {@code ptx}; records what was tried. */
    private static final class FakeDriver implements ModuleLoading.Loader {
        final int fatbin, ptx;
        final List<String> tried = new ArrayList<>();

        FakeDriver(int fatbin, int ptx) {
            this.fatbin = fatbin;
            this.ptx = ptx;
        }

        @Override
        public int load(byte[] image) {
            boolean isFatbin = image == FATBIN;
            tried.add(isFatbin ? "fatbin" : "ptx");
            return isFatbin ? fatbin : ptx;
        }
    }

    @Test
    void aDriverThatLoadsTheFatbinNeverSeesThePtx() {
        FakeDriver d = new FakeDriver(CUresult.CUDA_SUCCESS, CUresult.CUDA_ERROR_UNKNOWN);
        ModuleLoading.Loaded how = ModuleLoading.load(MODULE, d);
        assertEquals("fatbin", how.image());
        assertNull(how.fatbinRefusal());
        assertEquals(List.of("fatbin"), d.tried);
    }

    @Test
    void aRefusedFatbinFallsBackToThePortablePtx() {
        for (int refusal : new int[] {CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU,
                CUresult.CUDA_ERROR_INVALID_IMAGE, CUresult.CUDA_ERROR_INVALID_PTX}) {
            FakeDriver d = new FakeDriver(refusal, CUresult.CUDA_SUCCESS);
            ModuleLoading.Loaded how = ModuleLoading.load(MODULE, d);
            assertEquals("ptx", how.image(), CUresult.stringFor(refusal));
            assertEquals(CUresult.stringFor(refusal), how.fatbinRefusal());
            assertEquals(List.of("fatbin", "ptx"), d.tried);
        }
    }

    @Test
    void otherFailuresAreReportedAsTheyAre() {
        // Out of memory, a missing JIT compiler, a dead context: the PTX would not help; say what failed.
        for (int rc : new int[] {CUresult.CUDA_ERROR_OUT_OF_MEMORY, CUresult.CUDA_ERROR_JIT_COMPILER_NOT_FOUND,
                CUresult.CUDA_ERROR_INVALID_CONTEXT, CUresult.CUDA_ERROR_ILLEGAL_ADDRESS}) {
            FakeDriver d = new FakeDriver(rc, CUresult.CUDA_SUCCESS);
            CudaException e = assertThrows(CudaException.class, () -> ModuleLoading.load(MODULE, d));
            assertTrue(e.getMessage().contains("ar.fatbin") && e.getMessage().contains(CUresult.stringFor(rc)), e.getMessage());
            assertEquals(List.of("fatbin"), d.tried);
        }
        assertTrue(assertThrows(CudaException.class, () -> ModuleLoading.load(MODULE,
                new FakeDriver(CUresult.CUDA_ERROR_OUT_OF_MEMORY, 0))) instanceof DeviceOutOfMemoryException);
    }

    @Test
    void whenBothImagesAreRefusedTheErrorNamesBothAndWhatIsNeeded() {
        FakeDriver d = new FakeDriver(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION);
        CudaException e = assertThrows(CudaException.class, () -> ModuleLoading.load(MODULE, d));
        assertTrue(e.getMessage().contains("ar.ptx") && e.getMessage().contains("ar.fatbin")
                && e.getMessage().contains("CUDA 12.0"), e.getMessage());
        assertEquals(List.of("fatbin", "ptx"), d.tried);
    }

    // ------------------------------------------------------------------- the PTX in the build

    /** The portable PTX of every module on the classpath (written by build-kernels.sh when nvcc was found). */
    private static List<String> portablePtx() {
        assumeTrue(Kernels.present(), "the build had no nvcc: no kernels to check");
        List<String> texts = new ArrayList<>();
        for (Kernels.Module m : Kernels.load()) {
            assertEquals(0, m.ptx()[m.ptx().length - 1], "PTX handed to cuModuleLoadData is NUL-terminated");
            texts.add(new String(m.ptx(), 0, m.ptx().length - 1, StandardCharsets.US_ASCII));
        }
        return texts;
    }

    @Test
    void portablePtxHasTheOldIsaAndExplicitRounding() {
        for (String ptx : portablePtx()) {
            assertTrue(ptx.contains("\n.version 8.0\n"), "ISA 8.0 (CUDA 12.0)");
            assertTrue(ptx.contains("\n.target sm_75\n"), "target sm_75");
            assertEquals(List.of(), unrounded(ptx));
        }
        // Planted: one contraction-prone instruction is found.
        assertEquals(1, unrounded("\tadd.rn.f64 %fd1, %fd2, %fd3;\n\tmul.f64 %fd4, %fd1, %fd1;\n").size());
    }

    /** f64 add/sub/mul without a rounding modifier: a JIT may fuse those into an fma. */
    private static List<String> unrounded(String ptx) {
        List<String> bad = new ArrayList<>();
        for (String line : ptx.split("\n")) {
            if (line.strip().matches("(add|sub|mul)\\.f64\\b.*")) bad.add(line.strip());
        }
        return bad;
    }

    @Test
    void portablePtxAssemblesForEveryGenerationItServes() throws Exception {
        List<String> texts = portablePtx();
        String ptxas = findPtxas();
        assumeTrue(ptxas != null, "no ptxas on the PATH or under $CUDA_HOME/bin");
        Path dir = Files.createTempDirectory("autospec-ptx");
        try {
            for (int i = 0; i < texts.size(); i++) {
                Path f = dir.resolve("m" + i + ".ptx");
                Files.writeString(f, texts.get(i), StandardCharsets.US_ASCII);
                for (String arch : new String[] {"sm_75", "sm_80", "sm_90"}) {
                    String err = ptxas(ptxas, arch, f);
                    assertNull(err, "ptxas -arch=" + arch + " " + f);
                }
            }
            // Planted: an ISA older than the instructions used (6.0 predates sm_75) is rejected, so
            // the check above does hold the text to ISA 8.0.
            Path old = dir.resolve("old.ptx");
            Files.writeString(old, texts.get(0).replace("\n.version 8.0\n", "\n.version 6.0\n"), StandardCharsets.US_ASCII);
            assertNotEquals(null, ptxas(ptxas, "sm_75", old));
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    private static String findPtxas() {
        List<Path> candidates = new ArrayList<>();
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) candidates.add(Paths.get(cudaHome, "bin", "ptxas"));
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(java.io.File.pathSeparator)) candidates.add(Paths.get(d, "ptxas"));
        candidates.add(Paths.get("/usr/local/cuda/bin/ptxas"));
        for (Path p : candidates) if (Files.isExecutable(p)) return p.toString();
        return null;
    }

    /** Null when ptxas accepts the file, else its output. */
    private static String ptxas(String ptxas, String arch, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ptxas, "-arch=" + arch, "-o", "/dev/null", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        assertFalse(out.contains("Value '" + arch + "' is not defined"), "this ptxas does not know " + arch);
        return p.exitValue() == 0 ? null : out;
    }
}
