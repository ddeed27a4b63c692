package io.autospec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example in the README and in the library's javadoc compiles against the library, and a
 * README example with a {@code main} method also runs. README blocks list their own imports; a block
 * that declares a class is compiled as it stands, any other block as the body of a method. Javadoc
 * examples ({@code <pre>{@code ...}</pre>}) see every package of the library, as a reader would
 * assume; an example made of member declarations is compiled as the body of a class.
 */
class DocSnippetsTest {
    private static final Pattern README_JAVA = Pattern.compile("(?ms)^```java\\n(.*?)^```");
    private static final Pattern JAVADOC_CODE = Pattern.compile("(?s)<pre>\\{@code\\n(.*?)\\n\\s*\\*?\\s*}</pre>");
    private static final Pattern TYPE_DECLARATION = Pattern.compile("(?m)^(public |final |abstract )*(class|record|interface|enum) \\w+");
    private static final String LIBRARY_IMPORTS = "import io.autospec.*; import io.autospec.ar.*; import io.autospec.ar.models.*;"
            + " import io.autospec.backend.*; import io.autospec.core.*; import io.autospec.diffusion.*;"
            + " import io.autospec.diffusion.models.*; import java.util.*;\n";

    @TempDir
    Path dir;

    private static Path root() {
        return Path.of(System.getProperty("autospec.source.dir", "."));
    }

    @Test
    void readmeExamplesCompileAndRun() throws Exception {
        String readme = Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = README_JAVA.matcher(readme);
        List<String> units = new ArrayList<>();
        while (m.find()) units.add(readmeUnit(m.group(1), units.size()));
        assertTrue(units.size() >= 2, "expected the README's Java examples, found " + units.size());
        ClassLoader loader = compile(units);
        int ran = 0;
        for (String unit : units) {
            Matcher decl = Pattern.compile("(?m)^(?:public |final )*class (\\w+)").matcher(unit);
            if (!unit.contains("public static void main(") || !decl.find()) continue;
            Method main = loader.loadClass(decl.group(1)).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
            ran++;
        }
        assertTrue(ran >= 1, "no README example with a main method was run");
    }

    @Test
    void javadocExamplesCompile() throws Exception {
        List<String> units = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root().resolve("src/main/java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = JAVADOC_CODE.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) units.add(javadocUnit(m.group(1), units.size(), f));
            }
        }
        assertTrue(units.size() >= 3, "expected javadoc examples, found " + units.size());
        assertNotNull(compile(units));
    }

    /** A README block as a compilation unit: as it stands if it declares a type, else wrapped in a method. */
    private static String readmeUnit(String block, int index) {
        if (TYPE_DECLARATION.matcher(block).find()) return block;
        StringBuilder imports = new StringBuilder(), body = new StringBuilder();
        for (String line : block.split("\n")) (line.startsWith("import ") ? imports : body).append(line).append('\n');
        return imports + "class ReadmeExample" + index + " {\n void example() throws Exception {\n" + body + "}\n}\n";
    }

    /** A javadoc example: its comment's leading stars removed, in a class (members) or a method (statements). */
    private static String javadocUnit(String code, int index, Path file) {
        StringBuilder body = new StringBuilder("// from " + file.getFileName() + "\n");
        for (String line : code.split("\n")) body.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
        String text = body.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&#64;", "@");
        boolean members = Pattern.compile("(?m)^(public|protected|private|@Override|static)\\b").matcher(text).find();
        String name = "JavadocExample" + index;
        return LIBRARY_IMPORTS + (members
                ? "abstract class " + name + " {\n" + text + "}\n"
                : "class " + name + " {\n void example() throws Exception {\n" + text + "}\n}\n");
    }

    /** Compiles the units (one file each) against the test classpath; fails with javac's messages. */
    private ClassLoader compile(List<String> units) throws IOException, URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler (a JDK is needed)");
        Path src = Files.createDirectories(dir.resolve("src")), out = Files.createDirectories(dir.resolve("out"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", classpath(), "-proc:none", "-Xlint:none"));
        for (int i = 0; i < units.size(); i++) {
            Matcher decl = Pattern.compile("(?m)^(?:public |final |abstract )*(?:class|record|interface|enum) (\\w+)").matcher(units.get(i));
            String name = decl.find() ? decl.group(1) : "Unit" + i;
            Path f = Files.createDirectories(src.resolve("u" + i)).resolve(name + ".java");
            Files.writeString(f, units.get(i), StandardCharsets.UTF_8);
            args.add(f.toString());
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int rc = javac.run(null, messages, messages, args.toArray(new String[0]));
        assertEquals(0, rc, "examples do not compile:\n" + messages.toString(StandardCharsets.UTF_8)
                + "\n---\n" + String.join("\n---\n", units));
        return new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
    }

    /** The test classpath, plus the library's own classes and dependencies (surefire may hide them in a manifest jar). */
    private static String classpath() throws URISyntaxException {
        Set<String> cp = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        for (Class<?> c : List.of(Autospec.class, org.slf4j.Logger.class, org.apache.commons.math3.util.FastMath.class)) {
            cp.add(new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath());
        }
        return String.join(File.pathSeparator, cp);
    }
}
