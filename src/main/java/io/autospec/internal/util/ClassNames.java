package io.autospec.internal.util;

/**
 * Readable class names for default descriptions. <b>Internal</b>: used by the library's
 * interfaces, not part of its API.
 */
public final class ClassNames {
    private ClassNames() {}

    /**
     * The simple name of {@code o}'s class; for an anonymous or local class (whose simple name is
     * empty or ambiguous) the binary name without its package, e.g. {@code MyTest$1}.
     */
    public static String of(Object o) {
        Class<?> c = o.getClass();
        if (!c.isAnonymousClass() && !c.isLocalClass() && !c.isHidden()) return c.getSimpleName();
        String name = c.getName();
        int slash = name.indexOf('/'); // hidden classes (lambdas) carry a "/0x..." suffix
        if (slash >= 0) name = name.substring(0, slash);
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
