package io.autospec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar autospec.jar COMMAND ...}: the command-line entry point. */
@Command(name = "autospec",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Exact parallel sampling via autospeculation (Anari et al. 2025).",
            "Draws exact samples from any-order autoregressive and diffusion models in few parallel rounds."
        },
        subcommands = {SampleCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (0 ok, 1 run failed, 2 bad arguments). */
    public static int run(String... args) {
        try {
            return execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(new CommandLine(new Main()).getErr());
        }
    }

    /**
     * One line instead of a stack trace when the heap runs out (exit 1, a failed run); the memory
     * check before a run catches most such runs earlier, with exit 2.
     */
    static int outOfMemory(java.io.PrintWriter err) {
        err.println("autospec: error: out of memory (Java heap " + io.autospec.MemoryEstimate.format(Runtime.getRuntime().maxMemory())
                + "): use fewer --samples, a smaller --n, --capacity C, --max-trial-steps S, or give Java more memory (java -Xmx...g -jar ...)");
        err.flush();
        return 1;
    }

    private static int execute(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((ex, args2) -> {
                    CommandLine cmd = ex.getCommandLine();
                    cmd.getErr().println("autospec: " + ex.getMessage());
                    cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
                    return 2;
                })
                .setExecutionExceptionHandler((ex, cmd, parse) -> {
                    for (Throwable t = ex; t != null; t = t.getCause()) {
                        if (t instanceof OutOfMemoryError) return outOfMemory(cmd.getErr());
                    }
                    cmd.getErr().println("autospec: error: " + message(ex));
                    return 1;
                })
                .execute(args);
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null ? ex.toString() : m;
    }

    /** No command given: the usage, and the exit code of a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /**
     * The autospec version: the jar manifest's Implementation-Version when packaged, else the Maven
     * project version filtered into {@code version.properties} at build time (tests, IDE runs).
     */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String fromBuild = p.getProperty("version");
                if (fromBuild != null && !fromBuild.startsWith("${")) return fromBuild;
            }
        } catch (java.io.IOException e) {
            // fall through: no version known
        }
        return "unknown";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"autospec " + version()};
        }
    }
}
