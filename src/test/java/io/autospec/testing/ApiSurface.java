package io.autospec.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Helpers that compute a module's published surface from its compiled classes: the public types of each
 * package (nested ones as {@code Outer.Inner}), and the API signatures (public or protected members,
 * supertypes) that mention a type of an {@code io.autospec.internal} package.
 */
public final class ApiSurface {
    private ApiSurface() {}

    /** {@return package -> public, reachable types} for the classes directory or jar holding {@code anchor}'s module. */
    public static Map<String, Set<String>> publicTypes(Class<?> anchor) throws URISyntaxException, ClassNotFoundException {
        File root = new File(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> out = new TreeMap<>();
        List<String> names = new ArrayList<>();
        if (root.isDirectory()) {
            collect(root, root, names);
        } else { // a jar (the GPU bundle)
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(root)) {
                jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(n -> n.startsWith("io/autospec/") && n.endsWith(".class") && !n.endsWith("package-info.class"))
                        .forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        for (String n : names) {
            Class<?> c = Class.forName(n, false, anchor.getClassLoader());
            if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic() || !reachable(c)) continue;
            out.computeIfAbsent(c.getPackageName(), k -> new TreeSet<>()).add(c.getName().substring(c.getPackageName().length() + 1).replace('$', '.'));
        }
        return out;
    }

    private static void collect(File root, File dir, List<String> names) {
        File[] files = dir.listFiles();
        if (files == null) return;
        for (File f : files) {
            if (f.isDirectory()) collect(root, f, names);
            else if (f.getName().endsWith(".class") && !f.getName().equals("package-info.class")) {
                String rel = root.toPath().relativize(f.toPath()).toString();
                names.add(rel.substring(0, rel.length() - 6).replace(File.separatorChar, '.'));
            }
        }
    }

    /** Public, and so are all its enclosing types. */
    public static boolean reachable(Class<?> c) {
        for (; c != null; c = c.getEnclosingClass()) if (!Modifier.isPublic(c.getModifiers())) return false;
        return true;
    }

    public static boolean internal(String packageName) {
        return packageName.startsWith("io.autospec.internal");
    }

    /**
     * {@return "Owner.member -> InternalType"} for every public or protected member (and supertype) of
     * a public type of an API package whose signature mentions an internal type}
     */
    public static Set<String> internalTypesInSignatures(Class<?> anchor, Map<String, Set<String>> types) throws ClassNotFoundException {
        return typesInSignatures(anchor, types, ApiSurface::internal);
    }

    /**
     * {@return "Owner.member -> Type"} for every public or protected member (and supertype) of a public
     * type of a non-internal package of {@code types} whose signature mentions a type of a package that
     * {@code flagged} accepts}
     */
    public static Set<String> typesInSignatures(Class<?> anchor, Map<String, Set<String>> types, Predicate<String> flagged)
            throws ClassNotFoundException {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, Set<String>> e : types.entrySet()) {
            if (internal(e.getKey())) continue;
            for (String simple : e.getValue()) {
                String binary = e.getKey() + "." + simple.replace('.', '$');
                Class<?> c = Class.forName(binary, false, anchor.getClassLoader());
                String owner = simple;
                boolean open = !Modifier.isFinal(c.getModifiers()); // protected members are API of non-final types
                if (c.getGenericSuperclass() != null) report(out, flagged, owner + " extends", c.getGenericSuperclass());
                for (Type t : c.getGenericInterfaces()) report(out, flagged, owner + " implements", t);
                for (Field f : c.getDeclaredFields()) {
                    if (api(f.getModifiers(), open) && !f.isSynthetic()) report(out, flagged, owner + "." + f.getName(), f.getGenericType());
                }
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (!api(k.getModifiers(), open) || k.isSynthetic()) continue;
                    for (Type t : k.getGenericParameterTypes()) report(out, flagged, owner + ".<init>", t);
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (!api(m.getModifiers(), open) || m.isSynthetic() || m.isBridge()) continue;
                    report(out, flagged, owner + "." + m.getName(), m.getGenericReturnType());
                    for (Type t : m.getGenericParameterTypes()) report(out, flagged, owner + "." + m.getName(), t);
                }
            }
        }
        return out;
    }

    private static boolean api(int modifiers, boolean open) {
        return Modifier.isPublic(modifiers) || (open && Modifier.isProtected(modifiers));
    }

    private static void report(Set<String> out, Predicate<String> flagged, String where, Type t) {
        Set<Class<?>> mentioned = new HashSet<>();
        mentions(t, mentioned, new HashSet<>());
        for (Class<?> c : mentioned) {
            if (flagged.test(c.getPackageName())) out.add(where + " -> " + c.getSimpleName());
        }
    }

    private static void mentions(Type t, Set<Class<?>> out, Set<Type> seen) {
        if (!seen.add(t)) return;
        if (t instanceof Class<?> c) {
            while (c.isArray()) c = c.getComponentType();
            out.add(c);
        } else if (t instanceof ParameterizedType p) {
            mentions(p.getRawType(), out, seen);
            for (Type a : p.getActualTypeArguments()) mentions(a, out, seen);
        } else if (t instanceof GenericArrayType g) {
            mentions(g.getGenericComponentType(), out, seen);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) mentions(b, out, seen);
            for (Type b : w.getLowerBounds()) mentions(b, out, seen);
        } else if (t instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) mentions(b, out, seen);
        }
    }

    /** Asserts {@code actual} equals {@code expected}, printing the actual map in a form to paste. */
    public static void assertPinned(Map<String, Set<String>> expected, Map<String, Set<String>> actual) {
        assertEquals(expected, actual, () -> {
            StringBuilder sb = new StringBuilder("public types changed; actual:\n");
            for (Map.Entry<String, Set<String>> e : actual.entrySet()) {
                sb.append("        \"").append(e.getKey()).append("\", \"").append(String.join(" ", e.getValue())).append("\",\n");
            }
            return sb.toString();
        });
    }
}
