package io.autospec.cuda;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import java.util.Arrays;

/**
 * Recognises denoisers the device can evaluate and extracts their parameters: anything implementing
 * {@link MixtureSpec} or {@link BoxSpec}, and the diffusion zoo's {@code IsotropicMixture} and
 * {@code BoxUniform}.
 */
final class DeviceDenoisers {
    private DeviceDenoisers() {}

    /** Mixture parameters, validated. */
    record Mixture(int d, double[] weights, double[] means, double[] variances) {
        int components() {
            return weights.length;
        }
    }

    /** Box parameters, validated. */
    record Box(int d, double[] lower, double[] upper) {}

    /** The device form of {@code denoiser}: a {@link Mixture}, a {@link Box}, or null (host only). */
    static Object recognise(Denoiser denoiser) {
        if (denoiser instanceof MixtureSpec m) return mixture(denoiser, m.weights(), m.means(), m.variances());
        if (denoiser instanceof BoxSpec b) return box(denoiser, b.lower(), b.upper());
        if (denoiser instanceof IsotropicMixture m) return mixture(denoiser, m.weights(), m.means(), m.variances());
        if (denoiser instanceof BoxUniform b) {
            double[] lo = new double[b.dimension()], hi = new double[b.dimension()];
            Arrays.fill(lo, b.lo());
            Arrays.fill(hi, b.hi());
            return box(denoiser, lo, hi);
        }
        return null;
    }

    static Mixture mixture(Denoiser den, double[] w, double[] means, double[] s2) {
        int d = den.dimension();
        int k = w.length;
        if (k < 1) throw new IllegalArgumentException(den.describe() + ": a mixture needs at least one component");
        if (means.length != (long) k * d) {
            throw new IllegalArgumentException(den.describe() + ": means have " + means.length + " entries, expected K d = " + (long) k * d);
        }
        if (s2.length != k) throw new IllegalArgumentException(den.describe() + ": " + s2.length + " variances for " + k + " components");
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) throw new IllegalArgumentException(den.describe() + ": weight " + i + " is " + w[i]);
            if (!(s2[i] >= 0) || Double.isInfinite(s2[i])) throw new IllegalArgumentException(den.describe() + ": variance " + i + " is " + s2[i]);
            total += w[i];
        }
        if (!(total > 0)) throw new IllegalArgumentException(den.describe() + ": mixture weights sum to " + total);
        for (double m : means) if (!Double.isFinite(m)) throw new IllegalArgumentException(den.describe() + ": a mean is " + m);
        return new Mixture(d, w.clone(), means.clone(), s2.clone());
    }

    static Box box(Denoiser den, double[] lo, double[] hi) {
        int d = den.dimension();
        if (lo.length != d || hi.length != d) throw new IllegalArgumentException(den.describe() + ": box bounds are not " + d + "-dimensional");
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(lo[i]) || !Double.isFinite(hi[i]) || !(hi[i] > lo[i])) {
                throw new IllegalArgumentException(den.describe() + ": coordinate " + i + " has bounds [" + lo[i] + ", " + hi[i] + "]");
            }
        }
        return new Box(d, lo.clone(), hi.clone());
    }
}
