package io.autospec.models;

import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.DeterminantalOracle;
import io.autospec.ar.models.det.LEnsemble;
import io.autospec.ar.models.det.SpanningTrees;
import java.nio.file.Path;
import java.util.Map;

/**
 * The determinantal kinds of {@link ModelSpec}: {@code dpp:PATH}, {@code dpp:random,n=N,rank=R[,seed=S]},
 * {@code ust:PATH}, {@code ust:grid=WxH}, {@code aztec:order=M}. Each fixes n (items, edges).
 */
public final class DeterminantalModels {
    private DeterminantalModels() {}

    /** The oracle of a parsed determinantal spec (path or key=value parameters). */
    static DeterminantalOracle oracle(String text, String kind, Path path, Map<String, String> params) {
        Object model = model(text, kind, path, params);
        if (model instanceof LEnsemble l) return l.oracle();
        if (model instanceof SpanningTrees g) return g.oracle();
        return ((AztecDiamond) model).oracle();
    }

    /**
     * The model object behind a spec: an {@link LEnsemble}, {@link SpanningTrees} or
     * {@link AztecDiamond} (for anchors and pictures); errors name the spec, file, line and value.
     */
    public static Object model(ModelSpec spec) {
        ModelSpec.Parts p = spec.parts();
        return model(spec.toString(), spec.kind(), p.path(), p.params());
    }

    static Object model(String text, String kind, Path path, Map<String, String> params) {
        switch (kind) {
            case "dpp": {
                if (path != null && !(path.toString().equals("random") && !java.nio.file.Files.exists(path))) {
                    return ModelSpec.readFile(() -> LEnsemble.read(ModelSpec.existing(path)));
                }
                if (!params.containsKey("n") || !params.containsKey("rank")) {
                    throw new IllegalArgumentException("--model " + text + ": dpp takes a CSV file (dpp:PATH) or dpp:random,n=N,rank=R[,seed=S]");
                }
                if (!params.containsKey("random")) throw new IllegalArgumentException("--model " + text + ": write dpp:random,n=N,rank=R[,seed=S]");
                int n = ModelSpec.integer(text, params, "n", 1, 1 << 16);
                int rank = ModelSpec.integer(text, params, "rank", 1, n);
                long seed = params.containsKey("seed") ? longValue(text, params, "seed") : 1;
                return LEnsemble.random(n, rank, seed);
            }
            case "ust": {
                if (path != null) return ModelSpec.readFile(() -> SpanningTrees.read(ModelSpec.existing(path)));
                String g = params.get("grid");
                if (g == null) throw new IllegalArgumentException("--model " + text + ": ust takes an edge list (ust:PATH) or ust:grid=WxH");
                String[] wh = g.toLowerCase(java.util.Locale.ROOT).split("x");
                if (wh.length != 2) throw new IllegalArgumentException("--model " + text + ": grid must be WxH, got '" + g + "'");
                int w, h;
                try {
                    w = Integer.parseInt(wh[0].strip());
                    h = Integer.parseInt(wh[1].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--model " + text + ": grid must be WxH with integers, got '" + g + "'");
                }
                if (w < 1 || h < 1 || (long) w * h < 2 || (long) w * h > 1 << 20) {
                    throw new IllegalArgumentException("--model " + text + ": grid " + g + " must have W, H >= 1 and 2..2^20 vertices");
                }
                return SpanningTrees.grid(w, h);
            }
            case "aztec":
                if (path != null || !params.containsKey("order")) throw new IllegalArgumentException("--model " + text + ": write aztec:order=M");
                return new AztecDiamond(ModelSpec.integer(text, params, "order", 1, 4096));
            default:
                throw new IllegalStateException(kind);
        }
    }

    private static long longValue(String text, Map<String, String> params, String key) {
        String v = params.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--model " + text + ": " + key + " must be an integer, got '" + v + "'");
        }
    }
}
