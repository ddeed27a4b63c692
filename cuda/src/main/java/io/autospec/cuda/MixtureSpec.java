package io.autospec.cuda;

/**
 * A denoiser that is an isotropic Gaussian mixture Y ~ sum_k w_k N(m_k, s_k^2 I) (finite atoms: all
 * s_k = 0), which the CUDA backend evaluates on the device (inner products, a softmax and a weighted sum of the means). A
 * {@link io.autospec.diffusion.Denoiser} implementing this is evaluated on the device by {@link MixtureFamily}.
 */
public interface MixtureSpec {
    /** {@return d} */
    int dimension();

    /** {@return w_k, K entries, non-negative, not all zero (need not sum to 1)} */
    double[] weights();

    /** {@return m_k, K x d row-major} */
    double[] means();

    /** {@return s_k^2, K entries, non-negative} */
    double[] variances();
}
