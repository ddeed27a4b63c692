package io.autospec.spec.builtin;

import io.autospec.Autospec;
import io.autospec.ar.AutoSampler;
import io.autospec.ar.JacobiSampler;
import io.autospec.core.Coupling;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.Strategy;
import io.autospec.spec.SpecText;
import io.autospec.spec.StrategyProvider;
import java.util.List;

/**
 * The library's strategies as {@link StrategyProvider}s, registered in
 * {@code META-INF/services/io.autospec.spec.StrategyProvider} like any other. Each declares its
 * settings, defaults and help line once.
 */
public final class BuiltInStrategies {
    private BuiltInStrategies() {}

    /** The {@code coupling=inverse-cdf|gumbel} setting of sequential, jacobi and auto (default inverse-cdf). */
    static Coupling coupling(SpecText spec) {
        String name = spec.string("coupling", Coupling.INVERSE_CDF.name());
        try {
            return Coupling.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(spec.what() + " " + spec.text() + ": coupling must be inverse-cdf or gumbel, got '" + name + "'");
        }
    }

    /** {@code sequential[:coupling=inverse-cdf|gumbel]}: one step per round. */
    public static final class Sequential implements StrategyProvider {
        @Override public String name() { return "sequential"; }
        @Override public List<String> keys() { return List.of("coupling"); }
        @Override public String usage() { return "sequential[:coupling=inverse-cdf|gumbel]"; }
        @Override public String help() { return "one step per round (coupling: AR draws)"; }
        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return true; }

        @Override
        public Strategy create(SpecText spec) {
            return spec.has("coupling") ? Autospec.sequential().coupling(coupling(spec)) : Autospec.sequential();
        }
    }

    /** {@code speculative[:rho=1,early=true,max-span=S,trial-steps=T]}: the paper's recursion. */
    public static final class Speculative implements StrategyProvider {
        @Override public String name() { return "speculative"; }
        @Override public List<String> keys() { return List.of("rho", "early", "max-span", "trial-steps"); }
        @Override public String usage() { return "speculative[:rho=1,early=true,max-span=S,trial-steps=T]"; }
        @Override public String help() { return "the paper's recursion"; }
        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return true; }

        @Override
        public Strategy create(SpecText spec) {
            SpeculativeSampler s = Autospec.speculative();
            if (spec.has("rho")) s = s.rho(spec.number("rho", 1));
            if (spec.has("early")) s = s.earlyDecision(spec.bool("early", true));
            if (spec.has("max-span")) s = s.maxSpeculationSpan(spec.integer("max-span", 0));
            if (spec.has("trial-steps")) s = s.maxConcurrentTrialSteps(spec.longInteger("trial-steps", 0));
            return s;
        }
    }

    /** {@code token[:window=64|adaptive]}: token-level speculative decoding (AR). */
    public static final class Token implements StrategyProvider {
        @Override public String name() { return "token"; }
        @Override public List<String> keys() { return List.of("window"); }
        @Override public String usage() { return "token[:window=64|adaptive]"; }
        @Override public String help() { return "AR only: token-level speculative decoding"; }
        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return false; }

        @Override
        public Strategy create(SpecText spec) {
            if ("adaptive".equalsIgnoreCase(spec.string("window", ""))) return Autospec.tokenAdaptive();
            return Autospec.token(spec.integer("window", 64));
        }
    }

    /** {@code picard[:window=64,tol=1e-3]}: sliding-window Picard iteration (diffusion). */
    public static final class Picard implements StrategyProvider {
        @Override public String name() { return "picard"; }
        @Override public List<String> keys() { return List.of("window", "tol"); }
        @Override public String usage() { return "picard[:window=64,tol=1e-3]"; }
        @Override public String help() { return "diffusion only: sliding-window Picard iteration, exact at tol=0, else APPROXIMATE"; }
        @Override public boolean appliesToAr() { return false; }
        @Override public boolean appliesToDiffusion() { return true; }

        @Override
        public Strategy create(SpecText spec) {
            return Autospec.picard(spec.integer("window", 64), spec.number("tol", 1e-3));
        }
    }

    /** {@code jacobi[:window=W,coupling=inverse-cdf|gumbel]}: exact fixed-point decoding (AR). */
    public static final class Jacobi implements StrategyProvider {
        @Override public String name() { return "jacobi"; }
        @Override public List<String> keys() { return List.of("window", "coupling"); }
        @Override public String usage() { return "jacobi[:window=W,coupling=inverse-cdf|gumbel]"; }
        @Override public String help() { return "AR only: exact fixed-point decoding"; }
        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return false; }

        @Override
        public Strategy create(SpecText spec) {
            JacobiSampler j = spec.has("window") ? Autospec.jacobi(spec.integer("window", 0)) : Autospec.jacobi();
            return spec.has("coupling") ? j.coupling(coupling(spec)) : j;
        }
    }

    /** {@code auto[:budget=R,window=W,stall=true,redraft=true,levels=4,rest=adaptive|W,coupling=inverse-cdf|gumbel]}: the default. */
    public static final class Auto implements StrategyProvider {
        @Override public String name() { return "auto"; }
        @Override public List<String> keys() { return List.of("budget", "window", "stall", "redraft", "levels", "rest", "coupling"); }
        @Override public String usage() { return "auto[:budget=R,window=W,stall=true,redraft=true,levels=4,rest=adaptive|W,coupling=inverse-cdf|gumbel]"; }

        @Override
        public String help() {
            return "the default; jacobi whose guesses turn into drafts from the certified prefix when it stalls"
                    + " (the sequential samples bit for bit); diffusion: exact Picard";
        }

        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return true; }

        @Override
        public Strategy create(SpecText spec) {
            AutoSampler a = Autospec.auto();
            if (spec.has("budget")) a = a.budget(spec.integer("budget", 0));
            if (spec.has("window")) a = a.window(spec.integer("window", 0));
            if (spec.has("stall")) a = a.stall(spec.bool("stall", true));
            if (spec.has("redraft")) a = a.redraft(spec.bool("redraft", true));
            if (spec.has("levels")) a = a.drafts(spec.integer("levels", AutoSampler.DRAFT_LEVELS), AutoSampler.DRAFT_WINDOW);
            if (spec.has("rest")) {
                a = a.rest("adaptive".equalsIgnoreCase(spec.string("rest", "")) ? Autospec.tokenAdaptive() : Autospec.token(spec.integer("rest", 64)));
            }
            if (spec.has("coupling")) a = a.coupling(coupling(spec));
            return a;
        }
    }
}
