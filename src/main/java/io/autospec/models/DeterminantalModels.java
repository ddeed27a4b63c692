package io.autospec.models;

import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.DeterminantalOracle;
import io.autospec.ar.models.det.LEnsemble;
import io.autospec.ar.models.det.SpanningTrees;
import java.nio.file.Path;
import java.util.Map;

/**
 * The determinantal kinds of {@link ModelSpec}: {@code dpp:PATH}, {@code dpp:random,n=N,rank=R[,seed=S]},
 * {@code dpp:points=FILE[,kernel=gaussian,bandwidth=B]}, {@code dpp:random-points,n=N[,bandwidth=B,seed=S]},
 * {@code ust:PATH}, {@code ust:grid=WxH}, {@code aztec:order=M}. Each fixes n (items, edges). The
 * two point kinds build the Gaussian L-ensemble L_ij = exp(-|p_i - p_j|^2 / (2 B^2)) of points in
 * the plane (B by default the mean spacing, sqrt(bounding-box area / N)) and keep the points, so
 * {@code --picture} can draw them.
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
                if (path != null && !(isWord(path) && !java.nio.file.Files.exists(path))) {
                    return ModelSpec.readFile(() -> LEnsemble.read(ModelSpec.existing(path)));
                }
                if (path != null && path.toString().equals("random-points") || params.containsKey("random-points") || params.containsKey("points")) {
                    double[][] pts = points(text, path, params);
                    String kernel = params.getOrDefault("kernel", "gaussian");
                    if (!kernel.equalsIgnoreCase("gaussian")) {
                        throw new IllegalArgumentException("--model " + text + ": kernel must be gaussian (the only point kernel), got '" + kernel + "'");
                    }
                    double b = params.containsKey("bandwidth") ? positive(text, params, "bandwidth") : LEnsemble.defaultBandwidth(pts);
                    String source = params.containsKey("points") ? params.get("points") : "random-points, seed=" + seedOf(text, params);
                    return LEnsemble.gaussian(pts, b, source);
                }
                for (String k : new String[] {"kernel", "bandwidth"}) {
                    if (params.containsKey(k)) throw new IllegalArgumentException("--model " + text + ": " + k + " applies to dpp:points=FILE and dpp:random-points only");
                }
                if (!params.containsKey("n") || !params.containsKey("rank")) {
                    throw new IllegalArgumentException("--model " + text + ": dpp takes a CSV file (dpp:PATH) or dpp:random,n=N,rank=R[,seed=S]");
                }
                if (!params.containsKey("random")) throw new IllegalArgumentException("--model " + text + ": write dpp:random,n=N,rank=R[,seed=S]");
                int n = ModelSpec.integer(text, params, "n", 1, 1 << 16);
                int rank = ModelSpec.integer(text, params, "rank", 1, n);
                return LEnsemble.random(n, rank, seedOf(text, params));
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

    /** The maximal N of dpp:random-points and dpp:points (the L-ensemble's dense eigendecomposition is O(N^3)). */
    public static final int MAX_POINTS = 8192;

    /**
     * The points of a DPP spec built from points ({@code dpp:points=FILE} or {@code dpp:random-points,n=N}),
     * without building its L-ensemble; null for any other spec (for pictures).
     */
    public static double[][] points(ModelSpec spec) {
        if (!spec.kind().equals("dpp")) return null;
        ModelSpec.Parts p = spec.parts();
        boolean pointsSpec = p.params().containsKey("points") || p.params().containsKey("random-points")
                || (p.path() != null && p.path().toString().equals("random-points") && !java.nio.file.Files.exists(p.path()));
        return pointsSpec ? points(spec.toString(), p.path(), p.params()) : null;
    }

    private static double[][] points(String text, Path path, Map<String, String> params) {
        if (params.containsKey("rank")) throw new IllegalArgumentException("--model " + text + ": rank applies to dpp:random only (points fix L)");
        double[][] pts;
        if (params.containsKey("points")) {
            if (params.containsKey("random-points") || params.containsKey("n") || params.containsKey("seed")) {
                throw new IllegalArgumentException("--model " + text + ": dpp:points=FILE takes kernel= and bandwidth= only (n comes from the file)");
            }
            Path file = Path.of(params.get("points"));
            pts = ModelSpec.readFile(() -> LEnsemble.readPoints(ModelSpec.existing(file)));
            if (pts.length > MAX_POINTS) {
                throw new IllegalArgumentException("--model " + text + ": " + file + " has " + pts.length + " points, more than " + MAX_POINTS);
            }
        } else {
            if (!params.containsKey("n")) throw new IllegalArgumentException("--model " + text + ": write dpp:random-points,n=N[,bandwidth=B,seed=S]");
            int n = ModelSpec.integer(text, params, "n", 1, MAX_POINTS);
            pts = LEnsemble.randomPoints(n, seedOf(text, params));
        }
        return pts;
    }

    private static boolean isWord(Path path) {
        return path.toString().equals("random") || path.toString().equals("random-points");
    }

    private static long seedOf(String text, Map<String, String> params) {
        return params.containsKey("seed") ? longValue(text, params, "seed") : 1;
    }

    private static double positive(String text, Map<String, String> params, String key) {
        double x = ModelSpec.real(text, params, key);
        if (!(x > 0)) throw new IllegalArgumentException("--model " + text + ": " + key + " must be a positive number, got " + params.get(key));
        return x;
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
