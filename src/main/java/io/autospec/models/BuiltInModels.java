package io.autospec.models;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.LeftToRight;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.ar.models.TableOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import java.util.List;

/**
 * The library's model kinds as {@link ModelProvider}s (the determinantal ones are
 * {@link DeterminantalModels}), registered in
 * {@code META-INF/services/io.autospec.models.ModelProvider} like any other: each declares its
 * syntax, keys, defaults and help line once.
 */
public final class BuiltInModels {
    private BuiltInModels() {}

    /** {@code product:q=3[,seed=S]}. */
    public static final class Product extends KeyedModelProvider {
        @Override public String kind() { return "product"; }
        @Override public List<String> keys() { return List.of("q", "seed"); }
        @Override public String syntax() { return "product:q=3[,seed=S]"; }
        @Override public String help() { return "independent positions, random per-position laws"; }
        private static int q(ModelArgs a) { return a.integer("q", 2, 1, 1 << 20); }

        @Override
        public ConditionalOracle autoregressive(ModelArgs a, Integer n) {
            int len = a.requireN(n);
            return a.build(() -> ProductOracle.random(len, q(a), a.longValue("seed", 1)));
        }

        @Override public int width(ModelArgs a) { return q(a); }

        @Override
        public ModelMemory memory(ModelArgs a, Integer n, Object model) {
            long len = n == null ? 0 : n;
            return ModelMemory.tables(2 * 8 * len * q(a) + 16 * len, "use a smaller --n or q"); // the random rows, then the flat n x q copy
        }
    }

    /** {@code markov:q=2,stay=0.9} and {@code potts:q=5,stay=0.6}. */
    abstract static class Stay extends KeyedModelProvider {
        private final String kind;
        private final int q;
        private final double stay;

        Stay(String kind, int q, double stay) {
            this.kind = kind;
            this.q = q;
            this.stay = stay;
        }

        @Override public String kind() { return kind; }
        @Override public List<String> keys() { return List.of("q", "stay"); }
        @Override public String syntax() { return kind + ":q=" + q + ",stay=" + stay; }
        int q(ModelArgs a) { return a.integer("q", q, 2, 1 << 12); }

        @Override
        public ConditionalOracle autoregressive(ModelArgs a, Integer n) {
            int len = a.requireN(n);
            return a.build(() -> chain(len, q(a), a.probability("stay", stay)));
        }

        ConditionalOracle chain(int n, int q, double stay) {
            return MarkovChain.stay(n, q, stay);
        }

        @Override public int width(ModelArgs a) { return q(a); }
        @Override public ModelMemory memory(ModelArgs a, Integer n, Object model) { return ModelMemory.NONE; } // q x q
    }

    /** {@code markov:q=2,stay=0.9}. */
    public static final class Markov extends Stay {
        public Markov() { super("markov", 2, 0.9); }
        @Override public String help() { return "started uniform; keep the state w.p. stay, else move uniformly"; }
    }

    /** {@code potts:q=5,stay=0.6}. */
    public static final class Potts extends Stay {
        public Potts() { super("potts", 5, 0.6); }
        @Override public String help() { return "the same chain, q = 5 colours by default"; }
    }

    /** {@code ltr-markov:q=2,stay=0.999}: the markov chain in the forced order 0, 1, ..., n-1. */
    public static final class LtrMarkov extends Stay {
        public LtrMarkov() { super("ltr-markov", 2, 0.999); }
        @Override public String help() { return "the markov chain in the forced order 0, 1, ..., n-1"; }
        @Override ConditionalOracle chain(int n, int q, double stay) { return LeftToRight.stayChain(n, q, stay); }
        @Override public int width(ModelArgs a) { return 0; }
    }

    /** {@code curie-weiss:beta=0.8[,h=0]}. */
    public static final class CurieWeissKind extends KeyedModelProvider {
        @Override public String kind() { return "curie-weiss"; }
        @Override public List<String> keys() { return List.of("beta", "h"); }
        @Override public String syntax() { return "curie-weiss:beta=0.8[,h=0]"; }
        @Override public String help() { return "mean-field Ising model"; }

        @Override
        public ConditionalOracle autoregressive(ModelArgs a, Integer n) {
            int len = a.requireN(n);
            return a.build(() -> new CurieWeiss(len, a.real("beta", 0.8), a.real("h", 0.0)));
        }

        @Override public int width(ModelArgs a) { return 2; }
        @Override
        public ModelMemory memory(ModelArgs a, Integer n, Object model) {
            return ModelMemory.tables(16L * (n == null ? 0 : n), "use a smaller --n");
        }
    }

    /** {@code parity:constraints=C[,seed=S]}. */
    public static final class Parity extends KeyedModelProvider {
        @Override public String kind() { return "parity"; }
        @Override public List<String> keys() { return List.of("constraints", "seed"); }
        @Override public String syntax() { return "parity:constraints=C[,seed=S]"; }
        @Override public String help() { return "uniform over C <= 64 random parity constraints"; }

        @Override
        public ConditionalOracle autoregressive(ModelArgs a, Integer n) {
            int len = a.requireN(n);
            return a.build(() -> ParityOracle.random(len, a.integer("constraints", Math.min(16, len), 0, 64), a.longValue("seed", 1)));
        }

        @Override public int width(ModelArgs a) { return 2; }
        @Override public ModelMemory memory(ModelArgs a, Integer n, Object model) { return ModelMemory.NONE; } // 64 constraints of n bits
    }

    /** {@code table:PATH}. */
    public static final class Table extends KeyedModelProvider {
        @Override public String kind() { return "table"; }
        @Override public List<String> keys() { return List.of(); }
        @Override public boolean takesPath() { return true; }
        @Override public boolean fixesLength(ModelArgs a) { return true; }
        @Override public String syntax() { return "table:PATH"; }
        @Override public String help() { return "CSV: n values in [0, q), then a weight, per line"; }

        @Override
        public ConditionalOracle autoregressive(ModelArgs a, Integer n) {
            TableOracle t = a.read(() -> TableOracle.read(a.path()));
            a.checkN(n, t.length(), a.path().toString());
            return t;
        }

        /** The file's rows are read whole; the run's estimate counts its n and q once it is read. */
        @Override public ModelMemory memory(ModelArgs a, Integer n, Object model) { return ModelMemory.NONE; }
    }

    /** Diffusion kinds. */
    abstract static class Diffusion extends KeyedModelProvider {
        @Override public boolean diffusion() { return true; }
    }

    /** {@code gmm:PATH | gmm:k=4,d=2[,seed=S]} and {@code atoms:PATH | atoms:k=64,d=2[,seed=S]}. */
    abstract static class Mixture extends Diffusion {
        private final String kind;
        private final int k;
        private final int maxK;

        Mixture(String kind, int k, int maxK) {
            this.kind = kind;
            this.k = k;
            this.maxK = maxK;
        }

        @Override public String kind() { return kind; }
        @Override public List<String> keys() { return List.of("k", "d", "seed"); }
        @Override public boolean takesPath() { return true; }
        @Override public String syntax() { return String.join(" | ", syntaxes()); }
        @Override public List<String> syntaxes() { return List.of(kind + ":PATH", kind + ":k=" + k + ",d=2[,seed=S]"); }
        int k(ModelArgs a) { return a.integer("k", k, 1, maxK); }
        static int d(ModelArgs a) { return a.integer("d", 2, 1, 1 << 16); }
        @Override public int width(ModelArgs a) { return a.path() != null ? 0 : d(a); }

        @Override
        public ModelMemory memory(ModelArgs a, Integer n, Object model) {
            return ModelMemory.tables(a.path() != null ? 0 : 16L * k(a) * d(a), "use a smaller k or d");
        }
    }

    /** {@code gmm:PATH | gmm:k=4,d=2[,seed=S]}. */
    public static final class Gmm extends Mixture {
        public Gmm() { super("gmm", 4, 1 << 20); }
        @Override public String help() { return "isotropic Gaussian mixture (weight, variance, mean... per line)"; }

        @Override
        public Denoiser denoiser(ModelArgs a) {
            if (a.path() != null) return a.read(() -> IsotropicMixture.readGmm(a.path()));
            return IsotropicMixture.randomGmm(k(a), d(a), a.longValue("seed", 1));
        }
    }

    /** {@code atoms:PATH | atoms:k=64,d=2[,seed=S]}. */
    public static final class Atoms extends Mixture {
        public Atoms() { super("atoms", 64, 1 << 24); }
        @Override public String help() { return "point masses (one point per line), or uniform in [-1,1]^d"; }

        @Override
        public Denoiser denoiser(ModelArgs a) {
            if (a.path() != null) return a.read(() -> IsotropicMixture.readAtoms(a.path()));
            return IsotropicMixture.randomAtoms(k(a), d(a), a.longValue("seed", 1));
        }
    }

    /** {@code box:d=16[,lo=-1,hi=1]}. */
    public static final class Box extends Diffusion {
        @Override public String kind() { return "box"; }
        @Override public List<String> keys() { return List.of("d", "lo", "hi"); }
        @Override public String syntax() { return "box:d=16[,lo=-1,hi=1]"; }
        @Override public String help() { return "uniform on the cube [lo, hi]^d"; }
        private static int d(ModelArgs a) { return a.integer("d", 16, 1, 1 << 16); }

        @Override
        public Denoiser denoiser(ModelArgs a) {
            double lo = a.real("lo", -1), hi = a.real("hi", 1);
            if (!(hi > lo)) throw a.fail("need lo < hi, got lo=" + lo + ", hi=" + hi);
            return new BoxUniform(d(a), lo, hi);
        }

        @Override public int width(ModelArgs a) { return d(a); }
        @Override public ModelMemory memory(ModelArgs a, Integer n, Object model) { return ModelMemory.NONE; }
    }

    /** {@code gaussian:d=4[,mean=0,variance=1]}. */
    public static final class Gaussian extends Diffusion {
        @Override public String kind() { return "gaussian"; }
        @Override public List<String> keys() { return List.of("d", "mean", "variance"); }
        @Override public String syntax() { return "gaussian:d=4[,mean=0,variance=1]"; }
        @Override public String help() { return "isotropic Gaussian"; }
        private static int d(ModelArgs a) { return a.integer("d", 4, 1, 1 << 16); }

        @Override
        public Denoiser denoiser(ModelArgs a) {
            int d = d(a);
            double variance = a.real("variance", 1.0);
            if (!(variance > 0)) throw a.fail("variance must be > 0, got " + variance);
            double[] mean = new double[d];
            java.util.Arrays.fill(mean, a.real("mean", 0.0));
            return IsotropicMixture.gaussian(mean, variance);
        }

        @Override public int width(ModelArgs a) { return d(a); }
        @Override public ModelMemory memory(ModelArgs a, Integer n, Object model) { return ModelMemory.NONE; }
    }
}
