package io.autospec.nn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles nn/src/test/native/nn_math_driver.cpp with kernels/nn_math.cuh by the host C++ compiler
 * ({@code -ffp-contract=off -fno-fast-math}: no fused multiply-add unless written, as nvcc
 * {@code --fmad=false}), once per source version (cached under target/native-test at the project
 * root, found through the autospec.source.dir property the build passes to tests). The result is the
 * executable or the reason there is none, which the tests print when they skip.
 */
final class NativeMathBuild {
    private NativeMathBuild() {}

    record Result(Path executable, String reason) {}

    private static Result cached;

    static synchronized Result driver() {
        if (cached == null) cached = build();
        return cached;
    }

    private static Result build() {
        Path root = Paths.get(System.getProperty("autospec.source.dir", ".")).toAbsolutePath().normalize();
        Path kernels = root.resolve("kernels");
        Path source = root.resolve("nn/src/test/native/nn_math_driver.cpp");
        if (!Files.isRegularFile(kernels.resolve("nn_math.cuh")) || !Files.isRegularFile(source)) {
            return new Result(null, "kernels/nn_math.cuh or the driver not found under " + root + " (set -Dautospec.source.dir)");
        }
        String compiler = findCompiler();
        if (compiler == null) return new Result(null, "no host C++ compiler (c++, g++ or clang++) on the PATH");
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : List.of(kernels.resolve("nn_math.cuh"), kernels.resolve("as_compat.cuh"), source)) md.update(Files.readAllBytes(f));
            md.update(compiler.getBytes(StandardCharsets.UTF_8));
            Path outDir = root.resolve("target/native-test");
            Files.createDirectories(outDir);
            Path exe = outDir.resolve("nn_math_driver-" + HexFormat.of().formatHex(md.digest()).substring(0, 16));
            if (Files.isExecutable(exe)) return new Result(exe, null);
            Path tmp = outDir.resolve(exe.getFileName() + ".tmp" + ProcessHandle.current().pid());
            Process p = new ProcessBuilder(compiler, "-std=c++17", "-O2", "-ffp-contract=off", "-fno-fast-math",
                    "-I", kernels.toString(), source.toString(), "-o", tmp.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(null, "compiling nn_math_driver timed out");
            }
            if (p.exitValue() != 0) return new Result(null, "compiling nn_math_driver failed: " + out);
            Files.move(tmp, exe, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new Result(exe, null);
        } catch (IOException | InterruptedException | NoSuchAlgorithmException e) {
            return new Result(null, "compiling nn_math_driver failed: " + e);
        }
    }

    private static String findCompiler() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String name : List.of("c++", "g++", "clang++")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Paths.get(dir, name);
                if (Files.isExecutable(p)) return p.toString();
            }
        }
        return null;
    }
}
