package io.autospec.onnx;

import io.autospec.ar.ConditionalOracle;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import java.nio.file.Path;
import java.util.List;
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

    @Override
    public String group() {
        return "learned";
    }

    @Override
    public ConditionalOracle autoregressive(String argument, Integer n, Context context) {
        String spec = "onnx:" + argument; // errors read "model SPEC: ..."
        String[] parts = argument.split(",");
        if (parts[0].isBlank()) throw new IllegalArgumentException("model " + spec + ": expected onnx:PATH[,key=value...]");
        OnnxOracle.Options o = OnnxOracle.Options.defaults().withThreads(context.threads()).withN(n);
        int comma = argument.indexOf(',');
        // The grammar's one parser: a key given twice is refused, naming it.
        for (java.util.Map.Entry<String, String> kv : ModelSpec.settings(spec, comma < 0 ? "" : argument.substring(comma + 1), List.of()).entrySet()) {
            String key = kv.getKey();
            String value = kv.getValue();
            switch (key) {
                case "mask" -> o = o.withMask(number(spec, key, value));
                case "n" -> {
                    int v = (int) number(spec, key, value);
                    if (n != null && n != v) throw new IllegalArgumentException("model " + spec + ": n=" + v + " disagrees with the length n = " + n);
                    o = o.withN(v);
                }
                case "q" -> o = o.withQ((int) number(spec, key, value));
                case "input" -> o = o.withInput(value);
                case "output" -> o = o.withOutput(value);
                case "max-rows" -> o = o.withMaxRowsPerRun((int) number(spec, key, value));
                case "chunk" -> o = o.withChunk(chunk(spec, value));
                default -> throw new IllegalArgumentException("model " + spec + ": onnx has no parameter '" + key
                        + "' (it takes: mask, n, q, input, output, max-rows, chunk)");
            }
        }
        if ("cuda".equals(context.backend())) {
            LOG.info("backend cuda: this build bundles ONNX Runtime's CPU provider only; the ONNX model runs on the CPU");
        }
        return OnnxOracle.open(Path.of(parts[0].strip()), o);
    }

    /** chunk=C: rows of every run call, 0 for variable batches (not batch-invariant). */
    static int chunk(String spec, String value) {
        return (int) ModelSpec.integer(spec, "chunk", value, 0, Integer.MAX_VALUE);
    }

    /** mask=ID: any long; the sizes n, q, d, max-rows: positive ints. */
    static long number(String spec, String key, String value) {
        return key.equals("mask") ? ModelSpec.integer(spec, key, value, Long.MIN_VALUE, Long.MAX_VALUE)
                : ModelSpec.integer(spec, key, value, 1, Integer.MAX_VALUE);
    }
}
