package io.autospec.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend for a run by name: a {@link BackendProvider}'s name ({@code cpu}, which is always
 * there, {@code cuda} with the {@code autospec-cuda} module, or any provider on the class path), or
 * {@code auto}: the first other provider that is usable here, else the CPU with one line saying why.
 * Providers are found through {@link java.util.ServiceLoader}; this class lists none of them.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger("autospec");

    /** The name that picks a backend rather than naming one. */
    public static final String AUTO = "auto";

    private Backends() {}

    /** Thrown when a backend is requested by name and cannot run here. */
    public static final class UnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /** Why the backend is not usable, with the error behind it (or null). */
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens a backend. {@code name}: {@code auto} or a provider's name; {@code cpuThreads}: threads of
     * the CPU backend (0 = all processors), also used by other backends for oracles they cannot run.
     *
     * @param name       "auto" or a backend's name ({@link #names()})
     * @param cpuThreads CPU threads, 0 for all processors
     * @return the backend; the caller closes it
     * @throws UnavailableException when the named backend is not usable here
     * @throws IllegalArgumentException when no backend has that name, or {@code cpuThreads} is negative
     */
    public static Backend open(String name, int cpuThreads) {
        return open(name, cpuThreads, 0);
    }

    /** As {@link #open(String, int)}, on device {@code device} (e.g. the GPU a cluster manager gave a task). */
    public static Backend open(String name, int cpuThreads, int device) {
        if (cpuThreads < 0) throw new IllegalArgumentException("CPU threads must be 0 (all processors) or more, got " + cpuThreads);
        int threads = cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors();
        if (name.equals(AUTO)) return openAuto(threads, device);
        BackendProvider p = provider(name);
        if (p == null) {
            String module = MODULES.get(name);
            if (module != null) throw new UnavailableException("backend " + name + " is not available: " + notOnClassPath(name, module), null);
            throw new IllegalArgumentException("unknown backend '" + name + "' (expected " + String.join(", ", names()) + ")");
        }
        String reason = p.unavailableReason();
        if (reason != null) throw new UnavailableException("backend " + name + " is not available: " + reason, p.unavailableCause());
        try {
            return p.open(threads, device);
        } catch (RuntimeException e) {
            throw new UnavailableException("backend " + name + " failed to start: " + e.getMessage(), e);
        }
    }

    /** {@code auto}: the first provider other than the CPU's that is usable and starts, else the CPU. */
    private static Backend openAuto(int threads, int device) {
        List<String> why = new ArrayList<>();
        for (BackendProvider p : providers()) {
            if (p.name().equals(CpuBackend.NAME)) continue;
            String reason = p.unavailableReason();
            if (reason != null) {
                why.add(p.name() + " not available: " + reason);
                continue;
            }
            try {
                Backend b = p.open(threads, device);
                LOG.info("using the {} backend: {}", p.name(), b.describe());
                return b;
            } catch (RuntimeException e) {
                why.add("the " + p.name() + " backend failed to start: " + e.getMessage());
            }
        }
        if (why.isEmpty() && !MODULES.isEmpty()) {
            for (Map.Entry<String, String> m : MODULES.entrySet()) why.add(notOnClassPath(m.getKey(), m.getValue()));
        }
        LOG.info("{}; using the CPU backend ({} thread{})", String.join("; ", why), threads, threads == 1 ? "" : "s");
        return new CpuBackend(threads);
    }

    /**
     * The modules of the project's own backends, only to say which jar is missing when one is asked for
     * by name; {@link #open} finds backends through their providers, whether named here or not.
     */
    private static final Map<String, String> MODULES = Map.of("cuda", "io.autospec:autospec-cuda");

    private static String notOnClassPath(String name, String module) {
        return "the " + name + " backend (" + module + ") is not on the class path";
    }

    /** Why {@code cuda} cannot run when no provider of it is on the class path. */
    static final String NO_CUDA_PROVIDER = notOnClassPath("cuda", "io.autospec:autospec-cuda");

    /** {@return the providers on the class path, in class-path order} */
    public static List<BackendProvider> providers() {
        List<BackendProvider> out = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) out.add(p);
        return out;
    }

    /** {@return the names {@link #open} accepts: {@code auto} and every provider's} */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        out.add(AUTO);
        for (BackendProvider p : providers()) if (!out.contains(p.name())) out.add(p.name());
        return out;
    }

    /**
     * Checks a backend name without opening it (e.g. on a driver that will open it elsewhere).
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException naming it when {@link #open} would not know it
     */
    public static String checkName(String name) {
        if (!names().contains(name) && !MODULES.containsKey(name)) {
            throw new IllegalArgumentException("unknown backend '" + name + "' (expected " + String.join(", ", names()) + ")");
        }
        return name;
    }

    /** {@return the provider of the named backend on the class path, or null} */
    public static BackendProvider provider(String name) {
        for (BackendProvider p : providers()) {
            if (p.name().equals(name)) return p;
        }
        return null;
    }
}
