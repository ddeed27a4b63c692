package io.autospec.spark;

import io.autospec.cli.Exits;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code autospec-spark sample ...}: the {@code autospec sample} command on Apache Spark. Runs under
 * {@code spark-submit --class io.autospec.spark.Main autospec-spark.jar sample ...}, or locally with
 * Spark's jars on the class path (see the README).
 */
@Command(name = "autospec-spark",
        mixinStandardHelpOptions = true,
        description = "Exact parallel sampling via autospeculation, on Apache Spark: the same samples as one machine.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns the exit code (0 ok, 1 run failed, 2 bad arguments): the CLI's {@link Exits}. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("sample", SparkSampleCommand.commandLine());
        return Exits.execute(cl, "autospec-spark", args);
    }

    /** No command given: the usage, and the exit code of a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
