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
        subcommands = {SampleCommand.class, BenchCommand.class, InspectCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Samples, reports and messages are UTF-8 whatever the locale: a vocabulary symbol or a file
        // name outside ASCII must not turn into '?' under LANG=C.
        System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8));
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (0 ok, 1 run failed, 2 bad arguments); see {@link Exits}. */
    public static int run(String... args) {
        return Exits.execute(new CommandLine(new Main()), "autospec", args);
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
