package io.autospec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs where the tests run, so the Dockerfile is checked as text against the
 * repository: what it copies exists and is not excluded by .dockerignore, every Maven module goes into
 * the build context, its build command and its run command are the README's first command, base images
 * are pinned by tag, the build stage has nvcc, the jar is checked to bundle the CUDA provider and its kernels, and the GPU is requested the NVIDIA way. Planted
 * variants (a missing path, a different build command) are rejected by the same checks.
 */
class DockerfileTest {
    private static final Path ROOT = Paths.get(System.getProperty("autospec.source.dir", ".")).toAbsolutePath().normalize();

    /** One Dockerfile instruction: keyword and the rest (continuation lines joined). */
    record Instruction(String keyword, String args) {}

    static List<Instruction> parse(String dockerfile) {
        List<Instruction> out = new ArrayList<>();
        String joined = dockerfile.replaceAll("\\\\\\n", " ");
        for (String line : joined.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            int sp = s.indexOf(' ');
            out.add(new Instruction(s.substring(0, sp).toUpperCase(), s.substring(sp + 1).strip()));
        }
        return out;
    }

    private static String read(String file) throws IOException {
        // The GPU bundle carries the test classes but not the repository: nothing to compare there.
        assumeTrue(Files.isRegularFile(ROOT.resolve("Dockerfile")) && Files.isRegularFile(ROOT.resolve("pom.xml")),
                () -> "not a source checkout: " + ROOT);
        return Files.readString(ROOT.resolve(file));
    }

    /** The README's first command: "BUILD && java -jar target/autospec.jar ARGS". */
    private static String[] readmeFirstCommand() throws IOException {
        Matcher m = Pattern.compile("```bash\\n(.+?)\\n").matcher(read("README.md"));
        assertTrue(m.find(), "README has a bash block");
        String[] parts = m.group(1).split(" && ");
        assertEquals(2, parts.length, m.group(1));
        return parts;
    }

    /** Problems of the Dockerfile against the repository and README (empty: consistent). */
    static List<String> problems(String dockerfile, String dockerignore, String readmeBuild, String readmeRun) {
        List<String> bad = new ArrayList<>();
        List<Instruction> ins = parse(dockerfile);
        List<String> ignored = dockerignore.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> runs = new ArrayList<>();
        String entry = null, cmd = null;
        int froms = 0;
        boolean cudaDevelBuild = false;
        for (Instruction i : ins) {
            switch (i.keyword()) {
                case "FROM" -> {
                    froms++;
                    String image = i.args().split("\\s+")[0];
                    int colon = image.lastIndexOf(':');
                    String tag = colon < 0 ? "" : image.substring(colon + 1);
                    if (!tag.matches(".*\\d.*") || tag.equals("latest")) bad.add("base image not pinned by a version tag: " + image);
                    if (image.startsWith("nvidia/cuda:") && tag.contains("devel") && i.args().contains(" AS build")) cudaDevelBuild = true;
                }
                case "COPY" -> {
                    if (i.args().startsWith("--from")) break;
                    String[] words = i.args().split("\\s+");
                    for (int w = 0; w < words.length - 1; w++) {
                        String src = words[w];
                        if (!Files.exists(ROOT.resolve(src))) bad.add("COPY source does not exist: " + src);
                        for (String pattern : ignored) {
                            if (src.equals(pattern) || src.equals(pattern + "/")) bad.add("COPY source excluded by .dockerignore: " + src);
                        }
                    }
                }
                case "RUN" -> runs.add(i.args());
                case "ENTRYPOINT" -> entry = i.args();
                case "CMD" -> cmd = i.args();
                default -> { }
            }
        }
        if (froms < 2) bad.add("expected a build stage and a runtime stage");
        if (!cudaDevelBuild) bad.add("the build stage is not an nvidia/cuda devel image (no nvcc: the jar would carry no kernels)");
        if (!runs.contains(readmeBuild)) bad.add("no RUN equals the README's build command '" + readmeBuild + "': " + runs);
        if (runs.stream().noneMatch(r -> r.contains("META-INF/services/io.autospec.backend.BackendProvider")))
            bad.add("no RUN checks that the jar bundles the CUDA provider (autospec-cuda)");
        if (runs.stream().noneMatch(r -> r.contains("io/autospec/cuda/kernels/kernels.list")))
            bad.add("no RUN checks that the jar carries the CUDA kernels");
        String run = entry == null || cmd == null ? null : String.join(" ", jsonArray(entry)) + " " + String.join(" ", jsonArray(cmd));
        if (!readmeRun.equals(run)) bad.add("ENTRYPOINT + CMD '" + run + "' differ from the README's '" + readmeRun + "'");
        if (!dockerfile.contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility")) bad.add("NVIDIA_DRIVER_CAPABILITIES=compute,utility not set");
        for (String needed : new String[] {"src", "kernels", "native-build", "pom.xml", "core", "nn", "cuda", "onnx", "cli", "spark"}) {
            // An allow-list (exclude everything, then re-include): each needed path must be re-included.
            if (ignored.contains("*") && !ignored.contains("!" + needed) && !ignored.contains("!/" + needed)) bad.add(".dockerignore excludes " + needed);
        }
        for (String pattern : ignored) {
            for (String needed : new String[] {"src", "kernels", "native-build", "pom.xml", "core", "cuda", "cli"}) {
                if (pattern.equals(needed) || pattern.equals("/" + needed)) bad.add(".dockerignore excludes " + needed);
            }
        }
        return bad;
    }

    private static List<String> jsonArray(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(s);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void theDockerfileBuildsAndRunsWhatTheReadmeSays() throws IOException {
        String[] readme = readmeFirstCommand();
        String dockerfile = read("Dockerfile"), ignore = read(".dockerignore");
        assertEquals(List.of(), problems(dockerfile, ignore, readme[0], readme[1]));

        // Planted variants, each rejected.
        assertNotEquals(List.of(), problems(dockerfile.replace("COPY . .", "COPY docs docs"), ignore, readme[0], readme[1]));
        assertNotEquals(List.of(), problems(dockerfile.replace(readme[0], "mvn -q -B package"), ignore, readme[0], readme[1]));
        assertNotEquals(List.of(), problems(dockerfile.replace("\"--seed\", \"1\"", "\"--seed\", \"2\""), ignore, readme[0], readme[1]));
        assertNotEquals(List.of(), problems(dockerfile.replace("nvidia/cuda:13.0.1-devel", "nvidia/cuda:latest"), ignore, readme[0], readme[1]));
        assertNotEquals(List.of(), problems(dockerfile, ignore + "\nkernels\n", readme[0], readme[1]));
        assertNotEquals(List.of(), problems(dockerfile, ignore + "\ncuda\n", readme[0], readme[1]));
        assertNotEquals(List.of(), problems(dockerfile.replace("grep -q META-INF/services/io.autospec.backend.BackendProvider", "true"),
                ignore, readme[0], readme[1]));
    }

    @Test
    void everyMavenModuleIsInTheBuildContext() throws IOException {
        String ignore = read(".dockerignore");
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read("pom.xml"));
        int modules = 0;
        while (m.find()) {
            String module = m.group(1).strip();
            modules++;
            assertTrue(Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml")), module + "/pom.xml");
            for (String line : ignore.lines().map(String::strip).toList()) {
                assertFalse(line.equals(module) || line.equals("/" + module) || line.equals(module + "/"), ".dockerignore excludes module " + module);
            }
        }
        assertTrue(modules >= 2, "modules found in pom.xml");
        assertTrue(read("Dockerfile").contains("\nCOPY . .\n"), "the Dockerfile copies the whole tree (new modules included)");
    }
}
