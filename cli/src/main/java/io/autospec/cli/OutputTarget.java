package io.autospec.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;

/**
 * Where an output option ({@code --out}, {@code --report}, {@code --picture}) writes, decided and checked before the
 * run so that a run is never spent and then lost:
 * <ul>
 *   <li>a regular file or a new path: written to a temporary file in the same directory and renamed
 *       over the target once complete, so the target never holds a partial file;</li>
 *   <li>{@code -}, a character device, a FIFO, a socket, {@code /dev/fd/N}, {@code /dev/stdout}: written
 *       directly (renaming over them would replace the device or pipe with a regular file);</li>
 *   <li>a symbolic link: resolved, and its target handled by the rules above (the link stays).</li>
 * </ul>
 */
final class OutputTarget {

    /** Text output (samples, reports). */
    interface Body {
        void write(BufferedWriter w) throws IOException;
    }

    /** Binary output (pictures). */
    interface Bytes {
        void write(OutputStream out) throws IOException;
    }

    private enum Kind { STDOUT, DIRECT, ATOMIC }

    private final String option;
    private final String spelling;
    private final Kind kind;
    /** ATOMIC: the resolved file to replace; DIRECT: the path to open; STDOUT: /dev/stdout (for comparison). */
    private final Path path;

    private OutputTarget(String option, String spelling, Kind kind, Path path) {
        this.option = option;
        this.spelling = shown(spelling);
        this.kind = kind;
        this.path = path;
    }

    /**
     * Resolves and checks a target: the directory of a new or regular file must exist and accept a
     * new file (tried, not guessed from permissions); a device or pipe must be writable.
     *
     * @throws IllegalArgumentException a usage error naming the option, the path and the reason
     */
    static OutputTarget of(String option, String spelling) {
        if (spelling.isEmpty()) throw new IllegalArgumentException(option + ": the file name is empty");
        if (spelling.equals("-")) return new OutputTarget(option, spelling, Kind.STDOUT, Path.of("/dev/stdout"));
        String shown = shown(spelling);
        Path p;
        try {
            p = Path.of(spelling).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(option + " " + shown + ": not a valid path (" + shown(e.getReason()) + ")");
        }
        for (Path part : p) {
            int bytes = part.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > NAME_MAX) {
                throw new IllegalArgumentException(option + " " + shown + ": the name " + shown(abbreviate(part.toString())) + " is " + bytes
                        + " bytes; file systems allow at most " + NAME_MAX);
            }
        }
        // The process's own descriptors (e.g. bash's >(cmd)): links into /proc that name no file.
        Path n = p.normalize();
        if (n.startsWith("/dev/fd") || n.startsWith("/proc/self/fd") || n.equals(Path.of("/dev/stdout")) || n.equals(Path.of("/dev/stderr"))) {
            if (!Files.isWritable(n)) throw new IllegalArgumentException(option + " " + shown + ": not an open, writable descriptor");
            return new OutputTarget(option, spelling, Kind.DIRECT, n);
        }
        return resolve(option, spelling, p, 0);
    }

    /** The longest file name most file systems take, in bytes. */
    static final int NAME_MAX = 255;

    /**
     * A name as echoed in a message: control characters (a newline in a file name) escaped, so an
     * error stays one line and shows what was given.
     */
    static String shown(String name) {
        if (name == null) return "null";
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && sb == null) sb = new StringBuilder(name.substring(0, i));
            if (sb == null) continue;
            if (!control) sb.append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else sb.append(String.format("\\u%04x", (int) c));
        }
        return sb == null ? name : sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 20) + "..." + s.substring(s.length() - 12);
    }

    private static OutputTarget resolve(String option, String spelling, Path p, int links) {
        if (links > 40) throw new IllegalArgumentException(option + " " + shown(spelling) + ": too many levels of symbolic links");
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class); // follows links
        } catch (IOException e) {
            a = null;
        }
        if (a == null && Files.isSymbolicLink(p)) { // a dangling link: its target is a new path
            try {
                Path target = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
                return resolve(option, spelling, target, links + 1);
            } catch (IOException e) {
                throw new IllegalArgumentException(option + " " + shown(spelling) + ": " + reason(e));
            }
        }
        if (a != null && a.isDirectory()) throw new IllegalArgumentException(option + " " + shown(spelling) + " is a directory");
        if (a != null && a.isOther()) { // character device, FIFO, socket: never replace it
            Path real = realPath(option, spelling, p);
            if (!Files.isWritable(real)) throw new IllegalArgumentException(option + " " + shown(spelling) + ": " + shown(real.toString()) + " is not writable");
            return new OutputTarget(option, spelling, Kind.DIRECT, real);
        }
        Path file;
        if (a != null) { // a regular file, possibly through links
            file = realPath(option, spelling, p);
            if (!Files.isWritable(file)) throw new IllegalArgumentException(option + " " + shown(spelling) + ": " + shown(file.toString()) + " is not writable");
        } else {
            Path dir = p.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                // Name the part of the path that is wrong: the deepest existing one if it is not a
                // directory (a path under a regular file), else the first missing one.
                Path missing = dir, up = dir == null ? null : dir.getParent();
                while (up != null && !Files.exists(up)) {
                    missing = up;
                    up = up.getParent();
                }
                boolean underFile = dir != null && (Files.exists(dir) || (up != null && !Files.isDirectory(up)));
                Path bad = dir != null && Files.exists(dir) ? dir : underFile ? up : missing;
                throw new IllegalArgumentException(option + " " + shown(spelling) + ": " + (underFile
                        ? shown(String.valueOf(bad)) + " is not a directory" : "directory " + shown(String.valueOf(bad)) + " does not exist"));
            }
            file = realPath(option, spelling, dir).resolve(p.getFileName());
        }
        probe(option, spelling, file.getParent());
        return new OutputTarget(option, spelling, Kind.ATOMIC, file);
    }

    private static Path realPath(String option, String spelling, Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + shown(spelling) + ": " + reason(e));
        }
    }

    /** Creates and removes a file in {@code dir}: the only reliable test that the rename will work. */
    private static void probe(String option, String spelling, Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".autospec-probe-", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + shown(spelling) + ": cannot create a file in " + shown(dir.toString()) + ": " + why(e));
        }
    }

    /** Whether both name the same file, whatever the spelling (relative, via links, /dev/fd). */
    boolean sameAs(OutputTarget o) {
        if (kind == Kind.STDOUT && o.kind == Kind.STDOUT) return true;
        if (path.equals(o.path)) return true;
        try {
            return Files.exists(path) && Files.exists(o.path) && Files.isSameFile(path, o.path);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Adds a problem for every pair of outputs that name the same file (in any spelling, through
     * links, hard links, /dev/fd or the same FIFO): one would overwrite the other, or a FIFO would
     * wait for a second reader forever.
     */
    static void checkDistinct(List<OutputTarget> targets, List<String> problems) {
        for (int i = 0; i < targets.size(); i++) {
            for (int j = i + 1; j < targets.size(); j++) {
                OutputTarget a = targets.get(i), b = targets.get(j);
                if (a != null && b != null && a.sameAs(b)) {
                    problems.add(a.option + " " + a.spelling + " and " + b.option + " " + b.spelling + " name the same file; give them different files");
                }
            }
        }
    }

    /**
     * Adds a problem for every output that names one of the model's input files (in any spelling,
     * through links or hard links): writing it would destroy the model the run reads.
     */
    static void checkNotInputs(List<OutputTarget> targets, String model, List<String> problems) {
        for (Path input : inputFiles(model)) {
            for (OutputTarget t : targets) {
                if (t != null && t.names(input)) {
                    problems.add(t.option + " " + t.spelling + " is the model's input file " + shown(input.toString()) + " (--model " + shown(model)
                            + "); writing it would destroy the model: give another file");
                }
            }
        }
    }

    /**
     * Every existing file a model spec reads, as its provider lists them ({@link ModelSpec#inputFiles}:
     * the files it names, external data, sidecars); a spec that does not parse lists the files it names.
     */
    static List<Path> inputFiles(String model) {
        if (model == null) return new ArrayList<>();
        try {
            return ModelSpec.parse(model).inputFiles();
        } catch (RuntimeException e) {
            int colon = model.indexOf(':');
            return colon < 0 ? new ArrayList<>() : ModelProvider.namedFiles(model.substring(colon + 1));
        }
    }

    /** Whether this output would write the existing file {@code file}. */
    boolean names(Path file) {
        Path mine = kind == Kind.STDOUT ? Path.of("/dev/stdout") : path;
        return same(mine, file);
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    String option() {
        return option;
    }

    boolean isStdout() {
        if (kind == Kind.STDOUT) return true;
        try {
            return kind == Kind.DIRECT && Files.exists(Path.of("/dev/stdout")) && Files.isSameFile(path, Path.of("/dev/stdout"));
        } catch (IOException e) {
            return false;
        }
    }

    String spelling() {
        return spelling;
    }

    /** Writes text by the rules above, as a run of this one output ({@link Outputs}). */
    void write(Body body) throws IOException {
        try (Outputs o = new Outputs()) {
            o.add(this, body);
            o.commit();
        }
    }

    private static Bytes text(Body body) {
        return out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            body.write(w);
            w.flush();
        };
    }

    /** Something written straight to a stream that cannot be rolled back (a report on standard output). */
    interface Direct {
        void run() throws IOException;
    }

    /**
     * The outputs of one run, which commit together or not at all: each regular file is written
     * whole to a hidden partial file beside it as it is added; {@link #commit} then writes the
     * outputs that cannot be rolled back (standard output, devices, pipes: written in place, so a
     * failure there can leave them partly written) and only after all of them renames every partial
     * file over its target. A failure anywhere before the renames, or {@link #close} without a
     * commit, removes the partial files and replaces nothing; SIGINT and SIGTERM remove them too.
     * The renames themselves (same directory, checked writable before the run) are the one step
     * that is not all-or-nothing.
     */
    static final class Outputs implements AutoCloseable {
        private record Staged(OutputTarget target, Path partial) {}

        private final List<Staged> staged = new ArrayList<>();
        private final List<Direct> direct = new ArrayList<>();

        /** Adds text for {@code t}: a regular file is written to its partial file now, anything else at {@link #commit}. */
        void add(OutputTarget t, Body body) throws IOException {
            addBytes(t, text(body));
        }

        /** Adds bytes for {@code t}, as {@link #add}. */
        void addBytes(OutputTarget t, Bytes body) throws IOException {
            if (t.kind == Kind.ATOMIC) staged.add(new Staged(t, t.writePartial(body)));
            else direct.add(() -> t.writeInPlace(body));
        }

        /** Adds a write to a stream that cannot be rolled back, run at {@link #commit} before any rename. */
        void addDirect(Direct d) {
            direct.add(d);
        }

        /** Writes the in-place outputs, then renames every partial file over its target. */
        void commit() throws IOException {
            for (Direct d : direct) d.run();
            direct.clear();
            while (!staged.isEmpty()) {
                Staged s = staged.get(0);
                s.target.replaceWith(s.partial);
                staged.remove(0);
            }
        }

        /** Removes the partial files of a run that did not commit. */
        @Override
        public void close() {
            for (Staged s : staged) deletePartial(s.partial);
            staged.clear();
        }
    }

    /** Partial files not yet renamed or removed: a shutdown hook (SIGINT, SIGTERM) removes them. */
    private static final java.util.Set<Path> PARTIALS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : PARTIALS) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException | RuntimeException e) {
                    // shutting down: nothing more to do
                }
            }
        }, "autospec-partial-files"));
    }

    private static void deletePartial(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: the file is hidden and named .partial
        }
        PARTIALS.remove(p);
    }

    /** Writes bytes by the rules above, as a run of this one output ({@link Outputs}). */
    void writeBytes(Bytes body) throws IOException {
        try (Outputs o = new Outputs()) {
            o.addBytes(this, body);
            o.commit();
        }
    }

    /** Standard output, a device, a pipe: written in place. */
    private void writeInPlace(Bytes body) throws IOException {
        switch (kind) {
            case STDOUT: {
                // PrintStream swallows write errors (stdout closed with >&-, a full disk, a broken pipe): ask it.
                body.write(System.out);
                System.out.flush();
                if (System.out.checkError()) {
                    throw new UncheckedIOException(option + ": cannot write - (standard output is closed, full or a broken pipe)",
                            new IOException("standard output"));
                }
                return;
            }
            case DIRECT:
                // Append: a descriptor the shell opened with >> keeps what it holds; pipes and devices do not care.
                try (OutputStream out = new BufferedOutputStream(new FileOutputStream(path.toFile(), true))) {
                    body.write(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(option + ": cannot write " + spelling + ": " + reason(e), e);
                }
                return;
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** A regular file: the whole body in a new partial file beside the target, with the target's attributes. */
    private Path writePartial(Bytes body) throws IOException {
        Path tmp = null;
        try {
            tmp = newPartialFile();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                body.write(out);
            }
            keepAttributes(tmp);
            return tmp;
        } catch (IOException e) {
            if (tmp != null) deletePartial(tmp);
            throw new UncheckedIOException(option + ": cannot write " + spelling + ": " + reason(e), e);
        } catch (RuntimeException | Error e) {
            if (tmp != null) deletePartial(tmp);
            throw e;
        }
    }

    private void replaceWith(Path tmp) {
        try {
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            PARTIALS.remove(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(option + ": cannot write " + spelling + ": " + reason(e), e);
        }
    }

    /**
     * A new, empty file beside the target, created as any new file is (mode 0666 less the umask, not
     * the 0600 of {@link Files#createTempFile}), so a new output gets the mode the user expects. Its
     * name fits the file system's 255 bytes whatever the target's: a long name is cut and hashed.
     */
    private Path newPartialFile() throws IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String stem = partialStem(path.getFileName().toString());
        for (int attempt = 0; ; attempt++) {
            Path tmp = path.getParent().resolve("." + stem + "." + Long.toUnsignedString(r.nextLong(), 36) + ".partial");
            try {
                PARTIALS.add(tmp);
                Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                PARTIALS.remove(tmp);
                if (attempt > 100) throw e;
            } catch (IOException | RuntimeException e) {
                PARTIALS.remove(tmp);
                throw e;
            }
        }
    }

    /** Bytes a partial name adds to its stem: ".", ".", up to 13 random characters, ".partial". */
    private static final int PARTIAL_OVERHEAD = 1 + 1 + 13 + ".partial".length();

    /** The target's name, or for a name too long to take the partial's decoration, its head and a hash of the rest. */
    static String partialStem(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length + PARTIAL_OVERHEAD <= NAME_MAX) return name;
        String hash = Integer.toHexString(name.hashCode());
        int budget = NAME_MAX - PARTIAL_OVERHEAD - 1 - hash.length();
        StringBuilder head = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int len = Character.toString(cp).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > budget) break;
            head.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return head + "~" + hash;
    }

    /**
     * A replaced file keeps its permissions, and its group where the user may set it (owns the file
     * and is in the group); other hard links to it keep the old contents (the name now points to a new
     * file), which a note on stderr says.
     */
    private void keepAttributes(Path tmp) {
        if (!Files.exists(path)) return;
        try {
            java.nio.file.attribute.PosixFileAttributes old = Files.readAttributes(path, java.nio.file.attribute.PosixFileAttributes.class);
            Files.setPosixFilePermissions(tmp, old.permissions());
            try {
                java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class);
                if (!view.readAttributes().group().equals(old.group())) view.setGroup(old.group());
            } catch (IOException | SecurityException e) {
                // not the user's group to give: the file keeps the user's default group
            }
            Object links = Files.getAttribute(path, "unix:nlink");
            if (links instanceof Integer k && k > 1) {
                System.err.println("autospec: note: " + option + " " + spelling + " had " + k + " hard links; it is replaced by a new file,"
                        + (k == 2 ? " and the other link keeps" : " and the other " + (k - 1) + " links keep") + " the old contents");
            }
        } catch (UnsupportedOperationException | IOException | IllegalArgumentException e) {
            // not a POSIX file system: the new file has the default mode
        }
    }

    /** An I/O failure in words, after the file it concerns: Java's file-system exceptions often carry only the path. */
    static String reason(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
        return file + why(e);
    }

    /** The reason alone. */
    static String why(IOException e) {
        if (e instanceof FileSystemException f) {
            String why = f.getReason();
            if (why == null) {
                if (e instanceof NoSuchFileException) why = "no such file or directory";
                else if (e instanceof AccessDeniedException) why = "permission denied";
                else if (e instanceof FileAlreadyExistsException) why = "already exists";
                else if (e instanceof NotDirectoryException) why = "not a directory";
                else why = e.getClass().getSimpleName();
            }
            return why;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @Override
    public String toString() {
        return option + " " + spelling + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + path + ")";
    }
}
