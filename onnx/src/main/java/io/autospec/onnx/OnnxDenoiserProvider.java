package io.autospec.onnx;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.models.ModelProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code onnx-denoiser:PATH[,x=NAME,sigma=NAME,output=NAME,d=D,sigma-max=S,max-rows=R,chunk=C,evaluator=E]} on the
 * command line: a learned denoiser in the EDM convention ({@link OnnxDenoiser}), found by
 * {@link io.autospec.models.ModelSpec} through {@link java.util.ServiceLoader}. The network runs with
 * {@code --threads} intra-op threads on the evaluator that {@code evaluator=} and {@code --backend} choose.
 */
public final class OnnxDenoiserProvider implements ModelProvider {
    @Override
    public String kind() {
        return "onnx-denoiser";
    }

    @Override
    public String syntax() {
        return "onnx-denoiser:PATH[,x=NAME,sigma=NAME,output=NAME,d=D,sigma-max=S,max-rows=R,chunk=C,evaluator=E]";
    }

    @Override
    public String help() {
        return "a denoiser network in ONNX, EDM convention (onnx/README.md)";
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
        return OnnxDenoiser.open(OnnxModelProvider.path("onnx-denoiser", argument), options(argument, context));
    }

    /** The options of {@code onnx-denoiser:PATH,key=value...} with the run's threads and backend. */
    static OnnxDenoiser.Options options(String argument, Context context) {
        String spec = "--model onnx-denoiser:" + argument;
        String[] parts = argument.split(",", -1);
        OnnxDenoiser.Options o = OnnxDenoiser.Options.defaults().withThreads(context.threads()).withBackend(context.backend());
        for (Map.Entry<String, String> e : OnnxModelProvider.keys(spec, "onnx-denoiser", parts, KEYS).entrySet()) {
            String key = e.getKey(), value = e.getValue();
            switch (key) {
                case "x" -> o = o.withX(value);
                case "sigma" -> o = o.withSigma(value);
                case "output" -> o = o.withOutput(value);
                case "d" -> o = o.withD((int) OnnxModelProvider.number(spec, key, value));
                case "sigma-max" -> o = o.withSigmaMax(positive(spec, key, value));
                case "max-rows" -> o = o.withMaxRowsPerRun((int) OnnxModelProvider.number(spec, key, value));
                case "chunk" -> o = o.withChunk(OnnxModelProvider.chunk(spec, value));
                case "evaluator" -> o = o.withEvaluator(Network.Choice.parse(spec, value).name().toLowerCase(Locale.ROOT));
                default -> throw new IllegalStateException(key);
            }
        }
        return o;
    }

    private static final List<String> KEYS = List.of("x", "sigma", "output", "d", "sigma-max", "max-rows", "chunk", "evaluator");

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
