package io.autospec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main sources (the core's {@code src/main/java} and every other module's
 * {@code src/main/java}: cuda, onnx, cli, spark, and the benchmarks project) form no import cycle. An edge p -&gt; q is a reference from a file
 * of package p to a type of package q, by import or by fully qualified name (in code or docs); the
 * test fails naming each cycle's packages and the files behind its edges.
 */
class PackageGraphTest {
    private static final Path ROOT = Path.of(System.getProperty("autospec.source.dir", ".")).toAbsolutePath().normalize();
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.autospec(?:\\.\\w+)+)");

    @Test
    void thePackageGraphHasNoCycle() throws IOException {
        // The GPU bundle carries the test classes but not the repository: nothing to compute there.
        Assumptions.assumeTrue(Files.isRegularFile(ROOT.resolve("pom.xml")), () -> "not a source checkout: " + ROOT);
        Map<Path, String> files = new TreeMap<>();
        List<Path> roots = new ArrayList<>();
        roots.add(ROOT.resolve("src/main/java"));
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
        }
        for (Path r : roots) {
            if (!Files.isDirectory(r)) continue;
            try (Stream<Path> s = Files.walk(r)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.put(p, read(p)));
            }
        }
        assertTrue(files.size() > 50, "main sources not found under " + ROOT + " (set -Dautospec.source.dir)");
        Map<Path, String> packageOf = new HashMap<>();
        Set<String> packages = new TreeSet<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            Matcher m = PACKAGE.matcher(f.getValue());
            assertTrue(m.find(), "no package declaration in " + f.getKey());
            packageOf.put(f.getKey(), m.group(1));
            packages.add(m.group(1));
        }
        Map<String, Map<String, Set<String>>> edges = new TreeMap<>(); // p -> q -> files
        for (Map.Entry<Path, String> f : files.entrySet()) {
            String from = packageOf.get(f.getKey());
            Matcher m = REFERENCE.matcher(f.getValue());
            while (m.find()) {
                String to = packageOf(m.group(1), packages);
                if (to == null || to.equals(from)) continue;
                edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                        .add(ROOT.relativize(f.getKey()).toString());
            }
        }
        List<List<String>> cycles = stronglyConnected(packages, edges);
        StringBuilder why = new StringBuilder();
        for (List<String> c : cycles) {
            why.append("\ncycle among ").append(c).append(':');
            for (String p : c) {
                for (Map.Entry<String, Set<String>> e : edges.getOrDefault(p, Map.of()).entrySet()) {
                    if (c.contains(e.getKey())) why.append("\n  ").append(p).append(" -> ").append(e.getKey()).append(" in ").append(e.getValue());
                }
            }
        }
        assertTrue(cycles.isEmpty(), "package cycles in the main sources:" + why);
    }

    /** The longest known package that prefixes a qualified name (a type, a nested type or a member). */
    private static String packageOf(String name, Set<String> packages) {
        String s = name;
        while (true) {
            if (packages.contains(s)) return s;
            int dot = s.lastIndexOf('.');
            if (dot < 0) return null;
            s = s.substring(0, dot);
        }
    }

    /** Tarjan's algorithm: the strongly connected components with more than one package. */
    private static List<List<String>> stronglyConnected(Set<String> nodes, Map<String, Map<String, Set<String>>> edges) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : nodes) {
            if (!index.containsKey(v)) connect(v, edges, index, low, stack, onStack, out, counter);
        }
        return out;
    }

    private static void connect(String v, Map<String, Map<String, Set<String>>> edges, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) out.add(component);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
