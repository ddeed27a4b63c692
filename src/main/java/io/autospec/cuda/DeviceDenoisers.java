package io.autospec.cuda;

import io.autospec.diffusion.Denoiser;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Recognises denoisers the device can evaluate and extracts their parameters: anything implementing
 * {@link MixtureSpec} or {@link BoxSpec}, and the diffusion zoo's {@code IsotropicMixture} and
 * {@code BoxUniform}.
 */
final class DeviceDenoisers {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("autospec");

    private DeviceDenoisers() {}

    static final String ZOO_MIXTURE = "io.autospec.diffusion.models.IsotropicMixture";
    static final String ZOO_BOX = "io.autospec.diffusion.models.BoxUniform";

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
        // TODO(merge with branch diffusion): replace these two reflective look-ups by
        //   if (denoiser instanceof IsotropicMixture m) return mixture(denoiser, m.weights(), m.means(), m.variances());
        //   if (denoiser instanceof BoxUniform b) return box(denoiser, <lo per coordinate>, <hi per coordinate>);
        // (io.autospec.diffusion.models is not in this branch yet).
        String name = denoiser.getClass().getName();
        try {
            if (name.equals(ZOO_MIXTURE)) {
                return mixture(denoiser, (double[]) call(denoiser, "weights"), (double[]) call(denoiser, "means"),
                        (double[]) call(denoiser, "variances"));
            }
            if (name.equals(ZOO_BOX)) {
                return box(denoiser, perCoordinate(denoiser, "lo", "lower"), perCoordinate(denoiser, "hi", "upper"));
            }
        } catch (IllegalStateException | ClassCastException e) {
            // The zoo class does not have the accessors this adapter expects: evaluate it on the host.
            LOG.warn("cannot read the parameters of {} for the GPU ({}): it runs on the CPU", denoiser.describe(), e.getMessage());
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

    private static Object call(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(target.getClass().getName() + "." + method + "() is not accessible: " + e, e);
        }
    }

    /** A bound given as a double (same for every coordinate) or a double[] by either accessor name. */
    private static double[] perCoordinate(Denoiser den, String... names) {
        for (String name : names) {
            Method m;
            try {
                m = den.getClass().getMethod(name);
            } catch (NoSuchMethodException e) {
                continue;
            }
            Object v = call(den, name);
            if (v instanceof double[] a) return a;
            if (v instanceof Double x) {
                double[] a = new double[den.dimension()];
                Arrays.fill(a, x);
                return a;
            }
            throw new IllegalStateException(den.getClass().getName() + "." + m.getName() + "() returns " + m.getReturnType());
        }
        throw new IllegalStateException(den.getClass().getName() + " has none of the accessors " + Arrays.toString(names));
    }
}
