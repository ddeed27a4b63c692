package io.autospec.onnx;

import io.autospec.ar.ConditionalOracle;
import io.autospec.models.ModelProvider;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code onnx:PATH[,mask=ID][,n=N][,q=Q][,input=NAME][,output=NAME][,max-rows=R][,chunk=C]} on the command line
 * (found by {@link io.autospec.models.ModelSpec} through {@link java.util.ServiceLoader}). ONNX Runtime
 * runs with the CPU provider and {@code --threads} intra-op threads.
 */
public final class OnnxModelProvider implements ModelProvider {
    private static final Logger LOG = LoggerFactory.getLogger("autospec");

    @Override
    public String kind() {
        return "onnx";
    }

    @Override
    public String syntax() {
        return "onnx:PATH[,mask=ID,n=N,q=Q,input=NAME,output=NAME,max-rows=R,chunk=C]";
    }

    @Override
    public String help() {
        return "an any-order AR network in ONNX (onnx/README.md), e.g. onnx:onnx/models/digits.onnx";
    }

    /** The model file, its external-data files and its vocabulary sidecar: outputs must not overwrite any of them. */
    @Override
    public java.util.List<Path> inputFiles(String argument) {
        java.util.List<Path> files = new java.util.ArrayList<>(ModelProvider.namedFiles(argument));
        String file = argument.split(",")[0].strip();
        try {
            if (!file.isEmpty() && java.nio.file.Files.isRegularFile(Path.of(file))) files.addAll(OnnxInputFiles.of(Path.of(file)));
        } catch (java.nio.file.InvalidPathException e) {
            // not a file name: opening the model says so
        }
        return files;
    }

    @Override
    public String group() {
        return "learned";
    }

    @Override
    public ConditionalOracle autoregressive(String argument, Integer n, Context context) {
        String spec = "--model onnx:" + argument;
        String[] parts = argument.split(",");
        if (parts[0].isBlank()) throw new IllegalArgumentException(spec + ": expected onnx:PATH[,key=value...]");
        OnnxOracle.Options o = OnnxOracle.Options.defaults().withThreads(context.threads()).withN(n);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(spec + ": expected key=value, got '" + parts[i] + "'");
            String key = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = parts[i].substring(eq + 1).strip();
            switch (key) {
                case "mask" -> o = o.withMask(number(spec, key, value));
                case "n" -> {
                    int v = (int) number(spec, key, value);
                    if (n != null && n != v) throw new IllegalArgumentException(spec + ": n=" + v + " disagrees with --n " + n);
                    o = o.withN(v);
                }
                case "q" -> o = o.withQ((int) number(spec, key, value));
                case "input" -> o = o.withInput(value);
                case "output" -> o = o.withOutput(value);
                case "max-rows" -> o = o.withMaxRowsPerRun((int) number(spec, key, value));
                case "chunk" -> o = o.withChunk(chunk(spec, value));
                default -> throw new IllegalArgumentException(spec + ": onnx has no parameter '" + key
                        + "' (it takes: mask, n, q, input, output, max-rows, chunk)");
            }
        }
        if ("cuda".equals(context.backend())) {
            LOG.info("--backend cuda: this build bundles ONNX Runtime's CPU provider only; the ONNX model runs on the CPU");
        }
        return OnnxOracle.open(Path.of(parts[0].strip()), o);
    }

    /** chunk=C: rows of every run call, 0 for variable batches (not batch-invariant). */
    static int chunk(String spec, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v < 0) throw new IllegalArgumentException(spec + ": chunk must be >= 0 (0: variable batches), got " + value);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": chunk must be an integer, got '" + value + "'");
        }
    }

    static long number(String spec, String key, String value) {
        try {
            long v = Long.parseLong(value);
            if (!key.equals("mask") && (v < 1 || v > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(spec + ": " + key + " must be a positive integer, got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": " + key + " must be an integer, got '" + value + "'");
        }
    }
}
