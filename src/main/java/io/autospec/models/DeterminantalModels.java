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
                    return ModelSpec.readFile(path, () -> LEnsemble.read(ModelSpec.existing(path)));
                }
                if (path != null && path.toString().equals("random-points") || params.containsKey("random-points") || params.containsKey("points")) {
                    double[][] pts = points(text, path, params);
                    String kernel = params.getOrDefault("kernel", "gaussian");
                    if (!kernel.equalsIgnoreCase("gaussian")) {
                        throw new ModelSpecException("model " + text + ": kernel must be gaussian (the only point kernel), got '" + kernel + "'");
                    }
                    double b = params.containsKey("bandwidth") ? positive(text, params, "bandwidth") : LEnsemble.defaultBandwidth(pts);
                    String source = params.containsKey("points") ? params.get("points") : "random-points, seed=" + seedOf(text, params);
                    return LEnsemble.gaussian(pts, b, source);
                }
                for (String k : new String[] {"kernel", "bandwidth"}) {
                    if (params.containsKey(k)) throw new ModelSpecException("model " + text + ": " + k + " applies to dpp:points=FILE and dpp:random-points only");
                }
                if (!params.containsKey("n") || !params.containsKey("rank")) {
                    throw new ModelSpecException("model " + text + ": dpp takes a CSV file (dpp:PATH) or dpp:random,n=N,rank=R[,seed=S]");
                }
                if (!params.containsKey("random")) throw new ModelSpecException("model " + text + ": write dpp:random,n=N,rank=R[,seed=S]");
                int n = ModelSpec.integer(text, params, "n", 1, 1 << 16);
                int rank = ModelSpec.integer(text, params, "rank", 1, n);
                return LEnsemble.random(n, rank, seedOf(text, params));
            }
            case "ust": {
                if (path != null) return ModelSpec.readFile(path, () -> SpanningTrees.read(ModelSpec.existing(path)));
                String g = params.get("grid");
                if (g == null) throw new ModelSpecException("model " + text + ": ust takes an edge list (ust:PATH) or ust:grid=WxH");
                String[] wh = g.toLowerCase(java.util.Locale.ROOT).split("x");
                if (wh.length != 2) throw new ModelSpecException("model " + text + ": grid must be WxH, got '" + g + "'");
                int w, h;
                try {
                    w = Integer.parseInt(wh[0].strip());
                    h = Integer.parseInt(wh[1].strip());
                } catch (NumberFormatException e) {
                    throw new ModelSpecException("model " + text + ": grid must be WxH with integers, got '" + g + "'");
                }
                if (w < 1 || h < 1 || (long) w * h < 2 || (long) w * h > 1 << 20) {
                    throw new ModelSpecException("model " + text + ": grid " + g + " must have W, H >= 1 and 2..2^20 vertices");
                }
                return SpanningTrees.grid(w, h);
            }
            case "aztec":
                if (path != null || !params.containsKey("order")) throw new ModelSpecException("model " + text + ": write aztec:order=M");
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
        if (params.containsKey("rank")) throw new ModelSpecException("model " + text + ": rank applies to dpp:random only (points fix L)");
        double[][] pts;
        if (params.containsKey("points")) {
            if (params.containsKey("random-points") || params.containsKey("n") || params.containsKey("seed")) {
                throw new ModelSpecException("model " + text + ": dpp:points=FILE takes kernel= and bandwidth= only (n comes from the file)");
            }
            Path file = Path.of(params.get("points"));
            pts = ModelSpec.readFile(file, () -> LEnsemble.readPoints(ModelSpec.existing(file)));
            if (pts.length > MAX_POINTS) {
                throw new ModelSpecException("model " + text + ": " + file + " has " + pts.length + " points, more than " + MAX_POINTS);
            }
        } else {
            if (!params.containsKey("n")) throw new ModelSpecException("model " + text + ": write dpp:random-points,n=N[,bandwidth=B,seed=S]");
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
        if (!(x > 0)) throw new ModelSpecException("model " + text + ": " + key + " must be a positive number, got " + params.get(key));
        return x;
    }

    private static long longValue(String text, Map<String, String> params, String key) {
        String v = params.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ModelSpecException("model " + text + ": " + key + " must be an integer, got '" + v + "'");
        }
    }

    /**
     * What building a determinantal model costs before it is built, for the memory check a run makes
     * first: {@code items} positions (edges, items), the model's size in words ({@code size}), and the
     * bytes of the dense N x N kernels, factors and inverses its construction holds at once.
     */
    public record Construction(long items, String size, long bytes, String lever) {}

    /**
     * The construction cost of a determinantal spec whose size the spec itself fixes (ust:grid,
     * aztec:order, dpp:random, dpp:random-points); null for other kinds and for files (read first).
     */
    public static Construction construction(ModelSpec spec) {
        ModelSpec.Parts p = spec.parts();
        Map<String, String> params = p.params();
        String text = spec.toString();
        try {
            switch (spec.kind()) {
                case "ust": {
                    String g = params.get("grid");
                    if (p.path() != null || g == null) return null;
                    String[] wh = g.toLowerCase(java.util.Locale.ROOT).split("x");
                    if (wh.length != 2) return null;
                    long w = Long.parseLong(wh[0].strip()), h = Long.parseLong(wh[1].strip());
                    if (w < 1 || h < 1) return null;
                    long v = w * h, m = w * (h - 1) + h * (w - 1);
                    // Laplacian, its Cholesky factor and inverse (V^2 each); the transfer current and the oracle's copy (m^2 each)
                    return new Construction(m, "ust:grid=" + w + "x" + h + " has N = " + m + " edges",
                            sat(8 * (3 * sq(v) + 2 * sq(m))), "use a smaller grid (memory grows as N^2)");
                }
                case "aztec": {
                    if (!params.containsKey("order")) return null;
                    long order = Long.parseLong(params.get("order").strip());
                    if (order < 1) return null;
                    long m = 4 * order * order, half = order * (order + 1);
                    // Kasteleyn matrix, LU factor and inverse (half^2 each); Kenyon's kernel, the oracle's copy and transpose (m^2 each)
                    return new Construction(m, "aztec:order=" + order + " has N = " + m + " edges",
                            sat(8 * (3 * sq(half) + 3 * sq(m))), "use a smaller order (memory grows as order^4)");
                }
                case "dpp": {
                    long n;
                    int copies;
                    if (params.containsKey("random") && params.containsKey("n")) {
                        n = Long.parseLong(params.get("n").strip());
                        copies = 2; // the marginal kernel and the oracle's flat copy
                    } else if (params.containsKey("random-points") && params.containsKey("n")) {
                        n = Long.parseLong(params.get("n").strip());
                        copies = 4; // L, its eigendecomposition, the marginal kernel and the oracle's copy
                    } else {
                        return null;
                    }
                    if (n < 1) return null;
                    return new Construction(n, text + " has N = " + n + " items", sat(8.0 * copies * sq(n)),
                            "use a smaller n (memory grows as N^2)");
                }
                default:
                    return null;
            }
        } catch (NumberFormatException e) {
            return null; // building the model reports the value
        }
    }

    /**
     * Why building this spec would not fit in {@code heapBytes} (one line naming the model's size, what
     * it needs and what to change), or null when it fits or its size is not known before reading a file.
     */
    public static String constructionRefusal(ModelSpec spec, long heapBytes) {
        Construction c = construction(spec);
        if (c == null || c.bytes() <= heapBytes) return null;
        return c.size() + ": building its N x N kernel and factor needs about " + io.autospec.internal.util.Bytes.format(c.bytes())
                + ", more than the Java heap's " + io.autospec.internal.util.Bytes.format(heapBytes) + "; " + c.lever()
                + ", or give Java more memory (java -Xmx" + Math.max(1, (long) Math.ceil(c.bytes() * 1.25 / (1L << 30))) + "g -jar ...)";
    }

    private static double sq(long x) {
        return (double) x * x;
    }

    private static long sat(double bytes) {
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }
}
