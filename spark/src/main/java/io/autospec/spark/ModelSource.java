package io.autospec.spark;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.Schedule;
import io.autospec.models.ModelSpec;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where a partition's model comes from. Models hold native or large state and are not serializable,
 * so what travels to the executors is a recipe: a model spec string, or a user's serializable factory.
 * The driver opens it once to check it before any task starts; each partition opens its own.
 */
public interface ModelSource extends Serializable {

    /** Builds the model; bad settings throw {@link IllegalArgumentException} with the engine's message. */
    Model open();

    /** What the spec string or factory said, for reports. */
    String describe();

    /** An AR oracle, or a diffusion denoiser on a schedule. */
    record Model(ConditionalOracle oracle, Denoiser denoiser, Schedule schedule) {
        public boolean diffusion() {
            return denoiser != null;
        }

        /** Values per sample: n positions (AR) or d coordinates (diffusion). */
        public int width() {
            return diffusion() ? denoiser.dimension() : oracle.length();
        }

        public String describe() {
            return diffusion() ? denoiser.describe() + ", " + schedule.name() + " schedule of " + schedule.steps() + " steps"
                    : oracle.describe();
        }
    }

    /** A user's AR oracle, built on each executor. */
    @FunctionalInterface
    interface OracleFactory extends Serializable {
        ConditionalOracle create();
    }

    /** A user's diffusion denoiser, built on each executor. */
    @FunctionalInterface
    interface DenoiserFactory extends Serializable {
        Denoiser create();
    }

    /** A model of the zoo, as {@code autospec sample --model SPEC [--n N]} names it. */
    static ModelSource spec(String spec, Integer n) {
        return new Spec(spec, n, 1024, 1e-3, "geometric");
    }

    /** A diffusion model of the zoo on a schedule ({@code uniform} or {@code geometric}, steps, final noise delta). */
    static ModelSource spec(String spec, int steps, double delta, String schedule) {
        return new Spec(spec, null, steps, delta, schedule);
    }

    /** A user's oracle. */
    static ModelSource oracle(OracleFactory factory, String description) {
        Objects.requireNonNull(factory, "factory");
        return new ModelSource() {
            private static final long serialVersionUID = 1L;

            @Override
            public Model open() {
                return new Model(Objects.requireNonNull(factory.create(), "the oracle factory returned null"), null, null);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** A user's denoiser on a schedule. */
    static ModelSource denoiser(DenoiserFactory factory, int steps, double delta, String schedule, String description) {
        Objects.requireNonNull(factory, "factory");
        schedule(schedule, steps, delta); // check on the caller's side
        return new ModelSource() {
            private static final long serialVersionUID = 1L;

            @Override
            public Model open() {
                return new Model(null, Objects.requireNonNull(factory.create(), "the denoiser factory returned null"),
                        schedule(schedule, steps, delta));
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** The named schedule ({@code uniform} or {@code geometric}). */
    static Schedule schedule(String name, int steps, double delta) {
        switch (name) {
            case "uniform":
                return Schedule.uniform(steps, delta);
            case "geometric":
                return Schedule.geometric(steps, delta);
            default:
                throw new IllegalArgumentException("unknown schedule '" + name + "' (expected uniform or geometric)");
        }
    }

    /** A zoo model by spec string; diffusion models use the schedule settings, AR models {@code n}. */
    record Spec(String spec, Integer n, int steps, double delta, String schedule) implements ModelSource {
        @Override
        public Model open() {
            ModelSpec ms = ModelSpec.parse(spec);
            if (ms.isDiffusion()) return new Model(null, ms.denoiser(), ModelSource.schedule(schedule, steps, delta));
            return new Model(ms.autoregressive(n), null, null);
        }

        @Override
        public String describe() {
            return spec;
        }
    }
}
