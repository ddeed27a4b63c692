package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.ar.models.TableOracle;
import io.autospec.spi.Key;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small instances of every AR zoo model (sizes chosen to keep the emulated runs quick). */
final class Zoo {
    private Zoo() {}

    static Map<String, ConditionalOracle> ar(int n) {
        Map<String, ConditionalOracle> m = new LinkedHashMap<>();
        m.put("product", ProductOracle.random(n, 3, 11));
        m.put("markov", MarkovChain.stay(n, 2, 0.9));
        m.put("potts", MarkovChain.stay(n, 4, 0.7));
        m.put("curie-weiss", new CurieWeiss(n, 1.3, 0.1));
        m.put("curie-weiss-high-temp", new CurieWeiss(n, 0.4, -0.2));
        m.put("parity", ParityOracle.random(n, 5, 3));
        m.put("table", table(Math.min(n, 6), 3, 7));
        return m;
    }

    /** A random table over [q]^n with about a third of the assignments weightless. */
    static TableOracle table(int n, int q, long seed) {
        int size = 1;
        for (int i = 0; i < n; i++) size *= q;
        Key key = Key.ofSeed(seed);
        int[][] as = new int[size][n];
        double[] w = new double[size];
        for (int a = 0; a < size; a++) {
            int x = a;
            for (int i = 0; i < n; i++) {
                as[a][i] = x % q;
                x /= q;
            }
            double u = key.uniform(1, a, 0);
            w[a] = u < 0.33 ? 0 : u;
        }
        return new TableOracle(n, q, as, w, "random-" + seed);
    }
}
