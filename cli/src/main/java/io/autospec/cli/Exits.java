package io.autospec.cli;

import io.autospec.models.ModelSpecException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one error handling of autospec's command lines ({@code autospec} and {@code autospec-spark}):
 * exit 0 done, 1 the run failed, 2 bad arguments (nothing was run). Every error is one line naming
 * the argument or output, never a stack trace:
 * <ul>
 *   <li>a usage error ({@link CommandLine.ParameterException}) or a bad model spec or model file
 *       ({@link ModelSpecException}, wherever it is raised): {@code NAME: message} and a hint, exit 2;</li>
 *   <li>the heap running out: one line with what to change, exit 1;</li>
 *   <li>anything else: {@code NAME: error: message}, exit 1.</li>
 * </ul>
 */
public final class Exits {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Exits() {}

    /** Installs the handlers on {@code cl}, whose errors are prefixed with {@code name} (e.g. "autospec"). */
    public static CommandLine configure(CommandLine cl, String name) {
        // Every number option is finite: Infinity and NaN parse as doubles but no option means them.
        cl.registerConverter(Double.class, Exits::finite).registerConverter(Double.TYPE, Exits::finite);
        return cl.setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((ex, args) -> usage(ex.getCommandLine(), name, ex.getMessage()))
                .setExecutionExceptionHandler((ex, cmd, parse) -> failure(ex, cmd, name));
    }

    /** Runs {@code cl} with the handlers installed; an OutOfMemoryError outside a command is handled too. */
    public static int execute(CommandLine cl, String name, String... args) {
        try {
            return configure(cl, name).execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(cl.getErr(), name);
        }
    }

    /** {@return a name as echoed in a message: control characters escaped, so the message stays one line} */
    public static String shown(String name) {
        return OutputTarget.shown(name);
    }

    /** A number option's value: a finite double (picocli names the option when this refuses). */
    static Double finite(String text) {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + OutputTarget.shown(text) + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new CommandLine.TypeConversionException("'" + OutputTarget.shown(text) + "' is not a finite number");
        }
        return v;
    }

    private static int usage(CommandLine cmd, String name, String message) {
        cmd.getErr().println(name + ": " + OutputTarget.shown(inOptionWords(message)));
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        cmd.getErr().flush();
        return USAGE;
    }

    private static int failure(Exception ex, CommandLine cmd, String name) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) return outOfMemory(cmd.getErr(), name);
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ModelSpecException || t instanceof CommandLine.ParameterException) return usage(cmd, name, message(t));
        }
        cmd.getErr().println(name + ": error: " + OutputTarget.shown(oneLine(ex)));
        cmd.getErr().flush();
        return FAILED;
    }

    /**
     * The library names what it was given ("model markov:q=0: ...", "needs a length n"); on the command
     * line these are options, so its usage errors say "--model" and "--n".
     */
    static String inOptionWords(String message) {
        return message.replaceAll("(^|; |\\()model ", "$1--model ")
                .replace(" needs a length n", " needs --n")
                .replaceAll("(^|; )n = (\\d+) disagrees with", "$1--n $2 disagrees with")
                .replaceAll("(^|; )n must be >= 1", "$1--n must be >= 1")
                .replace("disagrees with the length n = ", "disagrees with --n ");
    }

    /**
     * The failure in one line: the first line of its message (Spark's job failures carry the remote
     * stack trace in theirs), and the root cause's when the first line does not already say it.
     */
    static String oneLine(Throwable ex) {
        // An engine failure inside a Spark task: autospec's own message, not Spark's wrapping of it.
        for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
            if (t != ex && t.getClass().getName().startsWith("io.autospec.") && t.getMessage() != null) return oneLine(t);
        }
        String first = withoutExceptionNames(message(ex).lines().findFirst().orElse("").strip());
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root != ex) {
            String cause = withoutExceptionNames(message(root).lines().findFirst().orElse("").strip());
            if (!cause.isEmpty() && !first.contains(cause)) first = first + " (" + cause + ")";
        }
        return first;
    }

    /** A Java exception's class name before its message ("...: io.autospec.core.OracleException: msg"). */
    private static final java.util.regex.Pattern EXCEPTION_NAME =
            java.util.regex.Pattern.compile("(?:[A-Za-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|$)");

    /**
     * The text after the last Java exception name in a line: what a Spark job failure says the
     * task's error was ("Job aborted ... (executor driver): io.autospec.core.OracleException: msg" is
     * "a task failed: msg"). Users read the message; the class name is for stack traces.
     */
    static String withoutExceptionNames(String line) {
        java.util.regex.Matcher m = EXCEPTION_NAME.matcher(line);
        int end = -1, start = -1;
        while (m.find()) {
            start = m.start();
            end = m.end();
        }
        if (end < 0) return line;
        String rest = line.substring(end).strip();
        boolean task = line.startsWith("Job aborted") || line.contains("Lost task");
        if (rest.isEmpty()) rest = start > 0 ? line.substring(0, start).strip() : "an internal error";
        return task ? "a Spark task failed: " + rest : rest;
    }

    /**
     * One line instead of a stack trace when the heap runs out (exit 1, a failed run); the memory
     * check before a run catches most such runs earlier, with exit 2.
     */
    static int outOfMemory(PrintWriter err, String name) {
        err.println(name + ": error: out of memory (Java heap " + io.autospec.MemoryEstimate.format(Runtime.getRuntime().maxMemory())
                + "): use fewer --samples, a smaller --n, --capacity C, --max-trial-steps S, or give Java more memory (java -Xmx...g -jar ...)");
        err.flush();
        return FAILED;
    }

    /** An exception's message, or its class when it has none. */
    public static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null ? ex.toString() : m;
    }
}
