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

    /** Sampling from an any-order AR model given by its conditional-marginal oracle. */
    public static ArRun autoregressive(ConditionalOracle oracle) {
        return new ArRun(oracle);
    }

    /** Sampling from a diffusion model given by its denoiser, on a time schedule. */
    public static DiffusionRun diffusion(Denoiser denoiser, Schedule schedule) {
        return new DiffusionRun(denoiser, schedule);
    }

    /** One step per round (n rounds). */
    public static SequentialSampler sequential() {
        return new SequentialSampler();
    }

    /** The paper's recursive speculative rejection sampling (rho = 1, early decision). */
    public static SpeculativeSampler speculative() {
        return SpeculativeSampler.create();
    }

    /** Token-level speculative sampling with draft windows of w positions (AR only). */
    public static TokenSampler token(int window) {
        return TokenSampler.window(window);
    }

    /** Exact fixed-point (Jacobi) decoding over every uncertified step (AR only). */
    public static JacobiSampler jacobi() {
        return JacobiSampler.create();
    }

    /** Exact fixed-point (Jacobi) decoding over windows of at most w uncertified steps (AR only). */
    public static JacobiSampler jacobi(int window) {
        return JacobiSampler.window(window);
    }

    /** Jacobi with a round budget, then the recursion on the rest (AR); exact Picard (diffusion). */
    public static AutoSampler auto() {
        return AutoSampler.create();
    }

    /** Sliding-window Picard iteration (diffusion only; approximate). */
    public static PicardSampler picard(int window, double tolerance) {
        return PicardSampler.create(window, tolerance);
    }
}
