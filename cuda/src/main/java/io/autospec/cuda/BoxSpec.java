package io.autospec.cuda;

/**
 * A denoiser for the uniform law on a box [lo_1, hi_1] x ... x [lo_d, hi_d], which the CUDA backend
 * evaluates on the device (a truncated-normal mean per coordinate). A
 * {@link io.autospec.diffusion.Denoiser} implementing this is evaluated on the device by {@link BoxFamily}.
 */
public interface BoxSpec {
    /** {@return d} */
    int dimension();

    /** {@return lo, d entries} */
    double[] lower();

    /** {@return hi, d entries, hi_i &gt; lo_i} */
    double[] upper();
}
