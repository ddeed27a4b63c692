package io.autospec.models;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.DeterminantalOracle;
import io.autospec.ar.models.det.LEnsemble;
import io.autospec.ar.models.det.SpanningTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The determinantal kinds, each a {@link ModelProvider} registered like any other and typed by the
 * model it builds: {@link Dpp} ({@code dpp:PATH}, {@code dpp:random,n=N,rank=R[,seed=S]},
 * {@code dpp:points=FILE[,kernel=gaussian,bandwidth=B]}, {@code dpp:random-points,n=N[,bandwidth=B,seed=S]})
 * builds an {@link LEnsemble}, {@link Ust} ({@code ust:PATH}, {@code ust:grid=WxH}) a
 * {@link SpanningTrees}, {@link Aztec} ({@code aztec:order=M}) an {@link AztecDiamond}. Each fixes n
 * (items, edges). The two point kinds build the Gaussian L-ensemble
 * L_ij = exp(-|p_i - p_j|^2 / (2 B^2)) of points in the plane (B by default the mean spacing,
 * sqrt(bounding-box area / N)) and keep the points, so {@code --picture} can draw them.
 */
public final class DeterminantalModels {
    private DeterminantalModels() {}

    /**
     * A determinantal kind: builds a model {@code M} (for anchors and pictures) whose oracle fixes n,
     * and says what its construction's dense N x N matrices take before it is built.
     *
     * @param <M> the model it builds
     */
    public abstract static class Kind<M> extends KeyedModelProvider {
        @Override public boolean fixesLength(ModelArgs a) { return true; }
        @Override public String group() { return "determinantal"; }

        /** {@return the model of a parsed spec; errors name the spec, file, line and value} */
        public abstract M model(ModelArgs a);

        /** {@return the oracle of a built model} */
        protected abstract DeterminantalOracle oracle(M model);

        @Override
        public ConditionalOracle autoregressive(ModelArgs a, Integer n) {
            DeterminantalOracle d = oracle(model(a));
            a.checkN(n, d.length(), "model " + a.text());
            return d;
        }

        /**
         * The construction of a spec whose size the spec itself fixes, else {@link ModelMemory#NONE}
         * (a file is read first; a value building refuses is reported then).
         */
        @Override
        public ModelMemory memory(ModelArgs a, Integer n, Object model) {
            if (model != null || a.path() != null) return ModelMemory.NONE;
            try {
                return construction(a);
            } catch (NumberFormatException e) {
                return ModelMemory.NONE; // building the model reports the value
            }
        }

        /** {@return the bytes of the dense kernels, factors and inverses building the spec holds at once} */
        abstract ModelMemory construction(ModelArgs a);
    }

    /** {@return a construction of an N-item model: "SPEC has N = n WHAT: building its N x N kernel and factor"} */
    static ModelMemory construction(String size, double bytes, String lever) {
        return ModelMemory.construction(sat(bytes), size + ": building its N x N kernel and factor", lever);
    }

    /** {@code dpp:PATH | dpp:random,n=N,rank=R | dpp:points=FILE | dpp:random-points,n=N}. */
    public static final class Dpp extends Kind<LEnsemble> {
        @Override public String kind() { return "dpp"; }
        @Override public List<String> keys() { return List.of("random", "n", "rank", "seed", "points", "random-points", "kernel", "bandwidth"); }
        @Override public List<String> flags() { return List.of("random", "random-points"); }
        @Override public boolean takesPath() { return true; }
        @Override public String syntax() { return String.join(" | ", syntaxes()); }

        @Override
        public List<String> syntaxes() {
            return List.of("dpp:PATH", "dpp:random,n=N,rank=R[,seed=S]", "dpp:points=FILE[,kernel=gaussian,bandwidth=B]",
                    "dpp:random-points,n=N[,bandwidth=B,seed=S]");
        }

        @Override public String help() { return "L-ensemble: CSV N x N matrix, random, or Gaussian kernel of points"; }

        @Override
        public LEnsemble model(ModelArgs a) {
            String text = a.text();
            Path path = a.path();
            Map<String, String> params = a.params();
            if (path != null && !(isWord(path) && !Files.exists(path))) {
                return ModelSpec.readFile(path, () -> LEnsemble.read(ModelSpec.existing(path)));
            }
            if (builtFromPoints(a)) {
                double[][] pts = DeterminantalModels.points(text, path, params);
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

        @Override protected DeterminantalOracle oracle(LEnsemble l) { return l.oracle(); }

        /**
         * The points of a spec built from points ({@code dpp:points=FILE} or {@code dpp:random-points,n=N}),
         * without building its L-ensemble; null for any other dpp spec (for pictures).
         */
        public double[][] points(ModelArgs a) {
            return builtFromPoints(a) ? DeterminantalModels.points(a.text(), a.path(), a.params()) : null;
        }

        private static boolean builtFromPoints(ModelArgs a) {
            Path path = a.path();
            return a.has("points") || a.has("random-points")
                    || (path != null && path.toString().equals("random-points") && !Files.exists(path));
        }

        @Override
        ModelMemory construction(ModelArgs a) {
            if (!a.has("n")) return ModelMemory.NONE;
            long n = Long.parseLong(a.params().get("n").strip());
            int copies;
            if (a.has("random")) copies = 2; // the marginal kernel and the oracle's flat copy
            else if (a.has("random-points")) copies = 4; // L, its eigendecomposition, the marginal kernel and the oracle's copy
            else return ModelMemory.NONE;
            if (n < 1) return ModelMemory.NONE;
            return DeterminantalModels.construction(a.text() + " has N = " + n + " items", 8.0 * copies * sq(n),
                    "use a smaller n (memory grows as N^2)");
        }
    }

    /** {@code ust:PATH | ust:grid=WxH}. */
    public static final class Ust extends Kind<SpanningTrees> {
        @Override public String kind() { return "ust"; }
        @Override public List<String> keys() { return List.of("grid"); }
        @Override public boolean takesPath() { return true; }
        @Override public String syntax() { return "ust:PATH | ust:grid=WxH"; }
        @Override public List<String> syntaxes() { return List.of("ust:PATH", "ust:grid=WxH"); }
        @Override public String help() { return "uniform spanning tree (edge list u,v[,weight] or a grid)"; }

        @Override
        public SpanningTrees model(ModelArgs a) {
            String text = a.text();
            Path path = a.path();
            if (path != null) return ModelSpec.readFile(path, () -> SpanningTrees.read(ModelSpec.existing(path)));
            String g = a.params().get("grid");
            if (g == null) throw new ModelSpecException("model " + text + ": ust takes an edge list (ust:PATH) or ust:grid=WxH");
            String[] wh = g.toLowerCase(Locale.ROOT).split("x");
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

        @Override protected DeterminantalOracle oracle(SpanningTrees g) { return g.oracle(); }

        @Override
        ModelMemory construction(ModelArgs a) {
            String g = a.params().get("grid");
            if (g == null) return ModelMemory.NONE;
            String[] wh = g.toLowerCase(Locale.ROOT).split("x");
            if (wh.length != 2) return ModelMemory.NONE;
            long w = Long.parseLong(wh[0].strip()), h = Long.parseLong(wh[1].strip());
            if (w < 1 || h < 1) return ModelMemory.NONE;
            long v = w * h, m = w * (h - 1) + h * (w - 1);
            // Laplacian, its Cholesky factor and inverse (V^2 each); the transfer current and the oracle's copy (m^2 each)
            return DeterminantalModels.construction("ust:grid=" + w + "x" + h + " has N = " + m + " edges", 8 * (3 * sq(v) + 2 * sq(m)),
                    "use a smaller grid (memory grows as N^2)");
        }
    }

    /** {@code aztec:order=M}. */
    public static final class Aztec extends Kind<AztecDiamond> {
        @Override public String kind() { return "aztec"; }
        @Override public List<String> keys() { return List.of("order"); }
        @Override public String syntax() { return "aztec:order=M"; }
        @Override public String help() { return "uniform domino tiling of the Aztec diamond"; }

        @Override
        public AztecDiamond model(ModelArgs a) {
            if (a.path() != null || !a.has("order")) throw new ModelSpecException("model " + a.text() + ": write aztec:order=M");
            return new AztecDiamond(ModelSpec.integer(a.text(), a.params(), "order", 1, 4096));
        }

        @Override protected DeterminantalOracle oracle(AztecDiamond d) { return d.oracle(); }

        @Override
        ModelMemory construction(ModelArgs a) {
            if (!a.has("order")) return ModelMemory.NONE;
            long order = Long.parseLong(a.params().get("order").strip());
            if (order < 1) return ModelMemory.NONE;
            long m = 4 * order * order, half = order * (order + 1);
            // Kasteleyn matrix, LU factor and inverse (half^2 each); Kenyon's kernel, the oracle's copy and transpose (m^2 each)
            return DeterminantalModels.construction("aztec:order=" + order + " has N = " + m + " edges", 8 * (3 * sq(half) + 3 * sq(m)),
                    "use a smaller order (memory grows as order^4)");
        }
    }

    /** The maximal N of dpp:random-points and dpp:points (the L-ensemble's dense eigendecomposition is O(N^3)). */
    public static final int MAX_POINTS = 8192;

    static double[][] points(String text, Path path, Map<String, String> params) {
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

    private static double sq(long x) {
        return (double) x * x;
    }

    private static long sat(double bytes) {
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }
}
