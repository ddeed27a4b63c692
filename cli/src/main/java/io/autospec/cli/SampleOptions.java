package io.autospec.cli;

import io.autospec.spec.SpecText;
import io.autospec.spec.Strategies;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of a run that every front end running {@code sample} declares alike: the model, the
 * strategy and its alias options, samples, seed, backend, threads, capacity and the diffusion
 * schedule. {@code autospec sample} extends it (adding its file outputs); Spark's {@code sample} takes
 * exactly these options; {@code bench} shares {@code --threads} ({@link ThreadsOption}).
 */
public class SampleOptions {

    /** {@code --strategy}: a spec in the registry's grammar, checked as it is parsed. */
    static final class StrategyConverter implements CommandLine.ITypeConverter<SpecText> {
        @Override
        public SpecText convert(String value) {
            try {
                SpecText spec = SpecText.parse(value, "strategy");
                Strategies.provider(spec).create(spec); // the values too
                return spec;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    enum BackendName { auto, cpu, cuda }

    enum ScheduleName { uniform, geometric }

    @Option(names = "--model", required = true, paramLabel = "SPEC", description = "The model (see above).")
    String model;

    @Option(names = "--n", paramLabel = "N", description = "Number of positions of an AR model (not needed for table:PATH).")
    Integer n;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "auto", converter = StrategyConverter.class,
            description = "NAME[:key=value,...]: sequential | speculative | token | picard | jacobi | auto (default: ${DEFAULT-VALUE});"
                    + " e.g. auto:redraft=false, token:window=adaptive. The options below are aliases of settings.")
    SpecText strategySpec;

    @Option(names = "--samples", paramLabel = "M", defaultValue = "1",
            description = "Independent samples, drawn in the same rounds (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed; the same seed gives the same samples on any capacity, thread count or backend (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "auto | cpu | cuda (default: ${DEFAULT-VALUE}: CUDA when present, else CPU).")
    BackendName backend;

    @CommandLine.Mixin
    ThreadsOption cpu = new ThreadsOption();

    @Option(names = "--capacity", paramLabel = "C", description = "Most queries per launch; larger rounds are split (default: unlimited).")
    Integer capacity;

    @Option(names = "--rho", paramLabel = "R", description = "speculative: trial batches grow by (1+R) (default 1: doubling).")
    Double rho;

    @Option(names = {"--early-decision", "--early"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "speculative: decide a fallback as soon as its lowest accepted trial is known (default: on).")
    boolean earlyDecision;

    @Option(names = "--max-span", paramLabel = "S", description = "speculative: speculate only at spans of at most S steps.")
    Integer maxSpan;

    @Option(names = {"--max-trial-steps", "--trial-steps"}, paramLabel = "S",
            description = "speculative: memory bound, the most steps the running fallback trials of the whole run may cover together"
                    + " (each fallback may still run one trial; default: 4194304, less on a small heap).")
    Long maxTrialSteps;

    @Option(names = "--window", paramLabel = "W", description = "token: draft window (default 64); picard: Picard window (default 64); jacobi, auto:"
                    + " the most uncertified steps swept at once (memory; default all; auto on diffusion: Picard window, default 256).")
    Integer window;

    @Option(names = "--coupling", paramLabel = "C", description = "sequential, jacobi, auto (AR): how a step's fixed random numbers become its value,"
                    + " auto (default: inverse-cdf at q = 2, gumbel at q >= 3), inverse-cdf (one uniform a step) or gumbel (Gumbel-max,"
                    + " one uniform a step and value: fewer jacobi/auto rounds on learned models with q > 2). jacobi and auto return"
                    + " the sequential samples under the same coupling.")
    String coupling;

    @Option(names = "--steps", paramLabel = "N", description = "Diffusion: number of schedule steps (default 1024).")
    Integer steps;

    @Option(names = "--delta", paramLabel = "D", description = "Diffusion: final noise level; T = 1/D (default 1e-3).")
    Double delta;

    @Option(names = "--schedule", paramLabel = "NAME", description = "Diffusion: uniform | geometric (default geometric).")
    ScheduleName schedule;

    @Option(names = {"--tolerance", "--tol"}, paramLabel = "TOL", description = "picard: convergence tolerance per step, relative to the step's noise (default 1e-3).")
    Double tolerance;
}
