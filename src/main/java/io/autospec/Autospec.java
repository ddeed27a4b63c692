package io.autospec;

import io.autospec.ar.AutoSampler;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.JacobiSampler;
import io.autospec.ar.TokenSampler;
import io.autospec.core.SequentialSampler;
import io.autospec.core.SpeculativeSampler;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.PicardSampler;
import io.autospec.diffusion.Schedule;

/** Entry points: a run for a model, and the strategies to run it with. */
public final class Autospec {
    private Autospec() {}

    /**
     * A run sampling from an any-order AR model.
     *
     * @param oracle the model's conditional-marginal oracle
     * @return the run, to configure and then {@link ArRun#sample}
     */
    public static ArRun autoregressive(ConditionalOracle oracle) {
        return new ArRun(oracle);
    }

    /**
     * A run sampling from a diffusion model on a time schedule.
     *
     * @param denoiser the model's denoiser
     * @param schedule the times t_0 &lt; ... &lt; t_N of the discretised process
     * @return the run, to configure and then {@link DiffusionRun#sample}
     */
    public static DiffusionRun diffusion(Denoiser denoiser, Schedule schedule) {
        return new DiffusionRun(denoiser, schedule);
    }

    /** {@return the sequential strategy: one step per round (n rounds)} */
    public static SequentialSampler sequential() {
        return new SequentialSampler();
    }

    /** {@return the paper's recursive speculative rejection sampling (rho = 1, early decision)} */
    public static SpeculativeSampler speculative() {
        return SpeculativeSampler.create();
    }

    /**
     * Token-level speculative sampling (AR only).
     *
     * @param window the draft window w, at least 1
     * @return the strategy
     */
    public static TokenSampler token(int window) {
        return TokenSampler.window(window);
    }

    /**
     * Token-level speculative sampling with adaptive windows (AR only): doubled after a window is
     * accepted whole, shrunk to about 1.5x the accepted run after a rejection, decided from the
     * sample's past windows only (exact).
     *
     * @return the strategy
     */
    public static TokenSampler tokenAdaptive() {
        return TokenSampler.adaptive();
    }

    /**
     * Exact fixed-point (Jacobi) decoding over every uncertified step (AR only).
     *
     * @return the strategy
     */
    public static JacobiSampler jacobi() {
        return JacobiSampler.create();
    }

    /**
     * Exact fixed-point (Jacobi) decoding over windows of at most w uncertified steps (AR only).
     *
     * @param window uncertified steps iterated at once, at least 1
     * @return the strategy
     */
    public static JacobiSampler jacobi(int window) {
        return JacobiSampler.window(window);
    }

    /**
     * Jacobi's own iterate with drafted candidates swept next to it in the same rounds (AR: never
     * more rounds than {@link #jacobi()}, the sequential sample bit for bit unless a budget or
     * {@code redraft(false)} hands the rest over, then exact in law); exact Picard (diffusion).
     *
     * @return the strategy
     */
    public static AutoSampler auto() {
        return AutoSampler.create();
    }

    /**
     * Sliding-window Picard iteration (diffusion only; exact at tolerance 0, else approximate).
     *
     * @param window    steps per window, at least 1
     * @param tolerance a point has converged once it moves by at most tolerance * sqrt(dt)
     * @return the strategy
     */
    public static PicardSampler picard(int window, double tolerance) {
        return PicardSampler.create(window, tolerance);
    }
}
