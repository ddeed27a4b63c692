package io.autospec.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles the device emulator (cuda/src/test/native/device_emulator.cpp + kernels/*.cuh) with the host
 * C++ compiler, once per source version (cached under target/native-test). The result is either the
 * executable or the reason it could not be built, which the tests report when they skip.
 */
final class HostBuild {
    private HostBuild() {}

    /** The emulator executable, or null with {@link #reason()}. */
    record Result(Path executable, String reason) {}

    private static Result cached;

    /** Where the sources are: the project root (system property autospec.source.dir, else the working directory). */
    static Path sourceRoot() {
        return Paths.get(System.getProperty("autospec.source.dir", ".")).toAbsolutePath().normalize();
    }

    static synchronized Result emulator() {
        if (cached == null) cached = build();
        return cached;
    }

    private static Result build() {
        Path root = sourceRoot();
        Path kernels = root.resolve("kernels");
        Path source = root.resolve("cuda/src/test/native/device_emulator.cpp");
        if (!Files.isDirectory(kernels) || !Files.isRegularFile(source)) {
            return new Result(null, "kernel sources not found under " + root + " (set -Dautospec.source.dir)");
        }
        String compiler = findCompiler();
        if (compiler == null) return new Result(null, "no host C++ compiler (c++, g++ or clang++) on the PATH");
        try {
            String hash = hash(kernels, source, compiler);
            Path outDir = root.resolve("target/native-test");
            Files.createDirectories(outDir);
            Path exe = outDir.resolve("device_emulator-" + hash);
            if (Files.isExecutable(exe)) return new Result(exe, null);
            List<String> common = List.of(compiler, "-std=c++17", "-O1", "-ffp-contract=off", "-fno-fast-math",
                    "-I", kernels.toString(), source.toString(), "-o", exe.toString());
            // With AddressSanitizer when the toolchain has it: out-of-bounds kernel accesses then fail the tests.
            List<String> asan = new ArrayList<>(common);
            asan.addAll(1, List.of("-fsanitize=address", "-fno-omit-frame-pointer"));
            String err = run(asan);
            if (err != null) err = run(common);
            if (err != null) return new Result(null, "compiling the device emulator failed: " + err);
            return new Result(exe, null);
        } catch (IOException | InterruptedException e) {
            return new Result(null, "compiling the device emulator failed: " + e);
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

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        if (p.exitValue() != 0) {
            String s = new String(out, StandardCharsets.UTF_8);
            return s.length() > 2000 ? s.substring(0, 2000) : s;
        }
        return null;
    }

    private static String hash(Path kernels, Path source, String compiler) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(kernels)) {
                s.filter(p -> p.toString().endsWith(".cuh")).sorted().forEach(files::add);
            }
            files.add(source);
            for (Path f : files) md.update(Files.readAllBytes(f));
            md.update(compiler.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
