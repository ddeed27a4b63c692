package io.autospec.onnx;

import io.autospec.diffusion.Denoiser;
import io.autospec.models.ModelArgs;
import io.autospec.models.ModelMemory;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
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

    /** The model file, its external-data files and its vocabulary sidecar: outputs must not overwrite any of them. */
    @Override
    public List<Path> inputFiles(String argument) {
        return OnnxModelProvider.inputFilesOf(argument);
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
    public Denoiser denoiser(ModelArgs args, Context context) {
        return OnnxDenoiser.open(OnnxModelProvider.path("onnx-denoiser", args.argument()), options(args.argument(), context));
    }

    /** The options of {@code onnx-denoiser:PATH,key=value...} with the run's threads and backend. */
    static OnnxDenoiser.Options options(String argument, Context context) {
        String spec = "onnx-denoiser:" + argument; // errors read "model SPEC: ..."
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

    @Override
    public ModelMemory memory(ModelArgs args, Integer n, Object model) {
        return OnnxModelProvider.memoryOf(model);
    }

    @Override
    public Map<String, Object> report(ModelArgs args, Object model) {
        return OnnxModelProvider.reportOf(model);
    }

    private static final List<String> KEYS = List.of("x", "sigma", "output", "d", "sigma-max", "max-rows", "chunk", "evaluator");

    private static double positive(String spec, String key, String value) {
        double v = ModelSpec.real(spec, key, value);
        if (!(v > 0)) throw new IllegalArgumentException("model " + spec + ": " + key + " must be a positive number, got " + value);
        return v;
    }
}
