package io.autospec.onnx;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.models.ModelProvider;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code onnx-denoiser:PATH[,x=NAME,sigma=NAME,output=NAME,d=D,sigma-max=S,max-rows=R,chunk=C]} on the
 * command line: a learned denoiser in the EDM convention ({@link OnnxDenoiser}), found by
 * {@link io.autospec.models.ModelSpec} through {@link java.util.ServiceLoader}. ONNX Runtime runs with
 * the CPU provider and {@code --threads} intra-op threads.
 */
public final class OnnxDenoiserProvider implements ModelProvider {
    private static final Logger LOG = LoggerFactory.getLogger("autospec");

    @Override
    public String kind() {
        return "onnx-denoiser";
    }

    @Override
    public String syntax() {
        return "onnx-denoiser:PATH[,x=NAME,sigma=NAME,output=NAME,d=D,sigma-max=S,max-rows=R,chunk=C]";
    }

    @Override
    public String help() {
        return "a denoiser network in ONNX, EDM convention (onnx/README.md)";
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
    public boolean diffusion() {
        return true;
    }

    @Override
    public ConditionalOracle autoregressive(String argument, Integer n, Context context) {
        throw new IllegalArgumentException("--model onnx-denoiser:" + argument + " is a diffusion model");
    }

    @Override
    public Denoiser denoiser(String argument, Context context) {
        String spec = "--model onnx-denoiser:" + argument;
        String[] parts = argument.split(",");
        if (parts[0].isBlank()) throw new IllegalArgumentException(spec + ": expected onnx-denoiser:PATH[,key=value...]");
        OnnxDenoiser.Options o = OnnxDenoiser.Options.defaults().withThreads(context.threads());
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(spec + ": expected key=value, got '" + parts[i] + "'");
            String key = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = parts[i].substring(eq + 1).strip();
            switch (key) {
                case "x" -> o = o.withX(value);
                case "sigma" -> o = o.withSigma(value);
                case "output" -> o = o.withOutput(value);
                case "d" -> o = o.withD((int) OnnxModelProvider.number(spec, key, value));
                case "sigma-max" -> o = o.withSigmaMax(positive(spec, key, value));
                case "max-rows" -> o = o.withMaxRowsPerRun((int) OnnxModelProvider.number(spec, key, value));
                case "chunk" -> o = o.withChunk(OnnxModelProvider.chunk(spec, value));
                default -> throw new IllegalArgumentException(spec + ": onnx-denoiser has no parameter '" + key
                        + "' (it takes: x, sigma, output, d, sigma-max, max-rows, chunk)");
            }
        }
        if ("cuda".equals(context.backend())) {
            LOG.info("--backend cuda: this build bundles ONNX Runtime's CPU provider only; the ONNX denoiser runs on the CPU");
        }
        return OnnxDenoiser.open(Path.of(parts[0].strip()), o);
    }

    private static double positive(String spec, String key, String value) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": " + key + " must be a number, got '" + value + "'");
        }
        if (!(v > 0 && Double.isFinite(v))) throw new IllegalArgumentException(spec + ": " + key + " must be a positive number, got " + value);
        return v;
    }
}
