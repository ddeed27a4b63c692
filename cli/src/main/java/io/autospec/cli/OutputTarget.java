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
        this.spelling = spelling;
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
        Path p;
        try {
            p = Path.of(spelling).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(option + " " + spelling + ": not a valid path (" + e.getReason() + ")");
        }
        // The process's own descriptors (e.g. bash's >(cmd)): links into /proc that name no file.
        Path n = p.normalize();
        if (n.startsWith("/dev/fd") || n.startsWith("/proc/self/fd") || n.equals(Path.of("/dev/stdout")) || n.equals(Path.of("/dev/stderr"))) {
            if (!Files.isWritable(n)) throw new IllegalArgumentException(option + " " + spelling + ": not an open, writable descriptor");
            return new OutputTarget(option, spelling, Kind.DIRECT, n);
        }
        return resolve(option, spelling, p, 0);
    }

    private static OutputTarget resolve(String option, String spelling, Path p, int links) {
        if (links > 40) throw new IllegalArgumentException(option + " " + spelling + ": too many levels of symbolic links");
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
                throw new IllegalArgumentException(option + " " + spelling + ": " + reason(e));
            }
        }
        if (a != null && a.isDirectory()) throw new IllegalArgumentException(option + " " + spelling + " is a directory");
        if (a != null && a.isOther()) { // character device, FIFO, socket: never replace it
            Path real = realPath(option, spelling, p);
            if (!Files.isWritable(real)) throw new IllegalArgumentException(option + " " + spelling + ": " + real + " is not writable");
            return new OutputTarget(option, spelling, Kind.DIRECT, real);
        }
        Path file;
        if (a != null) { // a regular file, possibly through links
            file = realPath(option, spelling, p);
            if (!Files.isWritable(file)) throw new IllegalArgumentException(option + " " + spelling + ": " + file + " is not writable");
        } else {
            Path dir = p.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new IllegalArgumentException(option + " " + spelling + ": directory " + dir + " does not exist");
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
            throw new IllegalArgumentException(option + " " + spelling + ": " + reason(e));
        }
    }

    /** Creates and removes a file in {@code dir}: the only reliable test that the rename will work. */
    private static void probe(String option, String spelling, Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".autospec-probe-", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + spelling + ": cannot create a file in " + dir + ": " + why(e));
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
                    problems.add(t.option + " " + t.spelling + " is the model's input file " + input + " (--model " + model
                            + "); writing it would destroy the model: give another file");
                }
            }
        }
    }

    /**
     * The existing files a model spec names: the text after {@code KIND:} as a whole (table:PATH,
     * atoms:PATH, onnx:PATH...), each comma-separated part, and each value of a key=value part
     * (dpp:points=FILE, onnx:PATH,mask=...): every spelling that names an existing regular file.
     */
    static List<Path> inputFiles(String model) {
        List<Path> files = new ArrayList<>();
        if (model == null) return files;
        int colon = model.indexOf(':');
        if (colon < 0) return files;
        String rest = model.substring(colon + 1);
        List<String> candidates = new ArrayList<>();
        candidates.add(rest.strip());
        for (String part : rest.split(",")) {
            candidates.add(part.strip());
            int eq = part.indexOf('=');
            if (eq > 0) candidates.add(part.substring(eq + 1).strip());
        }
        for (String c : candidates) {
            if (c.isEmpty()) continue;
            try {
                Path p = Path.of(c);
                if (Files.isRegularFile(p) && files.stream().noneMatch(f -> same(f, p))) files.add(p);
            } catch (InvalidPathException e) {
                // not a file name
            }
        }
        return files;
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

    /** Writes the body. A failure leaves a regular-file target untouched. */
    /** Writes text by the rules above. */
    void write(Body body) throws IOException {
        writeBytes(out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            body.write(w);
            w.flush();
        });
    }

    /** Writes bytes by the rules above. */
    void writeBytes(Bytes body) throws IOException {
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
            case ATOMIC:
                writeAtomically(body);
                return;
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    private void writeAtomically(Bytes body) throws IOException {
        Path tmp = null;
        try {
            tmp = newPartialFile();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                body.write(out);
            }
            keepAttributes(tmp);
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) Files.deleteIfExists(tmp);
            throw new UncheckedIOException(option + ": cannot write " + spelling + ": " + reason(e), e);
        } catch (RuntimeException | Error e) {
            if (tmp != null) Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * A new, empty file beside the target, created as any new file is (mode 0666 less the umask, not
     * the 0600 of {@link Files#createTempFile}), so a new output gets the mode the user expects.
     */
    private Path newPartialFile() throws IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path tmp = path.getParent().resolve("." + path.getFileName() + "." + Long.toUnsignedString(r.nextLong(), 36) + ".partial");
            try {
                Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
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
