package io.autospec.internal.spec;

import io.autospec.Autospec;
import io.autospec.ar.AutoSampler;
import io.autospec.ar.JacobiSampler;
import io.autospec.ar.TokenSampler;
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

    /** What {@link #integerOr} returns for "adaptive". */
    private static final int ADAPTIVE = Integer.MIN_VALUE;

    /** An integer setting that may also be {@code word} (e.g. window=all, window=adaptive): {@code wordValue} then. */
    static int integerOr(SpecText spec, String key, int dflt, String word, int wordValue) {
        if (!spec.has(key)) return dflt;
        String v = spec.params().get(key);
        if (v.equalsIgnoreCase(word)) return wordValue;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec.what() + " " + spec.text() + ": " + key + " must be an integer or " + word + ", got '" + v + "'");
        }
    }

    /** The {@code coupling=auto|inverse-cdf|gumbel} setting of sequential, jacobi and auto (default auto: inverse-cdf at q = 2, gumbel at q >= 3). */
    static Coupling coupling(SpecText spec) {
        String name = spec.string("coupling", Coupling.AUTO.name());
        try {
            return Coupling.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(spec.what() + " " + spec.text() + ": coupling must be auto, inverse-cdf or gumbel, got '" + name + "'");
        }
    }

    /** {@code sequential[:coupling=auto|inverse-cdf|gumbel]}: one step per round. */
    public static final class Sequential implements StrategyProvider {
        @Override public String name() { return "sequential"; }
        @Override public List<String> keys() { return List.of("coupling"); }
        @Override public String usage() { return "sequential[:coupling=auto|inverse-cdf|gumbel]"; }
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
        @Override public String usage() { return "speculative[:rho=1,early=true,max-span=S|all,trial-steps=T]"; }
        @Override public String help() { return "the paper's recursion"; }
        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return true; }

        @Override
        public Strategy create(SpecText spec) {
            SpeculativeSampler s = Autospec.speculative();
            if (spec.has("rho")) s = s.rho(spec.number("rho", 1));
            if (spec.has("early")) s = s.earlyDecision(spec.bool("early", true));
            if (spec.has("max-span")) s = s.maxSpeculationSpan(integerOr(spec, "max-span", 0, "all", Integer.MAX_VALUE));
            if (spec.has("trial-steps")) s = s.maxConcurrentTrialSteps(spec.longInteger("trial-steps", 0));
            return s;
        }
    }

    /** {@code token[:window=64|adaptive]}: token-level speculative decoding (AR). */
    public static final class Token implements StrategyProvider {
        @Override public String name() { return "token"; }
        @Override public List<String> keys() { return List.of("window", "min"); }
        @Override public String usage() { return "token[:window=64|adaptive,min=64]"; }
        @Override public String help() { return "AR only: token-level speculative decoding"; }
        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return false; }

        @Override
        public Strategy create(SpecText spec) {
            int w = integerOr(spec, "window", 64, "adaptive", ADAPTIVE);
            if (w != ADAPTIVE && spec.has("min")) {
                throw new IllegalArgumentException(spec.what() + " " + spec.text() + ": min applies to window=adaptive only");
            }
            return w == ADAPTIVE ? TokenSampler.adaptive(spec.integer("min", TokenSampler.ADAPTIVE_MIN)) : Autospec.token(w);
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

    /** {@code jacobi[:window=W,coupling=auto|inverse-cdf|gumbel]}: exact fixed-point decoding (AR). */
    public static final class Jacobi implements StrategyProvider {
        @Override public String name() { return "jacobi"; }
        @Override public List<String> keys() { return List.of("window", "coupling"); }
        @Override public String usage() { return "jacobi[:window=W|all,coupling=auto|inverse-cdf|gumbel]"; }
        @Override public String help() { return "AR only: exact fixed-point decoding"; }
        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return false; }

        @Override
        public Strategy create(SpecText spec) {
            int w = integerOr(spec, "window", JacobiSampler.ALL, "all", JacobiSampler.ALL);
            JacobiSampler j = w == JacobiSampler.ALL ? Autospec.jacobi() : Autospec.jacobi(w);
            return spec.has("coupling") ? j.coupling(coupling(spec)) : j;
        }
    }

    /** {@code auto[:budget=R,window=W,stall=true,redraft=true,hedge=true,levels=4,rest=adaptive|W,coupling=auto|inverse-cdf|gumbel]}: the default. */
    public static final class Auto implements StrategyProvider {
        @Override public String name() { return "auto"; }
        @Override public List<String> keys() { return List.of("budget", "window", "stall", "redraft", "hedge", "levels", "draft-window", "rest", "coupling"); }

        @Override
        public String usage() {
            return "auto[:budget=R,window=W|all,stall=B,redraft=B,hedge=B,levels=4,draft-window=64,rest=adaptive|W,coupling=C]";
        }

        @Override
        public String help() {
            return "the default; jacobi's own iterate plus candidates it never gives way to: drafts from the certified"
                    + " prefix after stalls and, unless hedge=false, after draft wins; never more rounds than jacobi and the"
                    + " sequential samples bit for bit, except that redraft=false or budget=R hand the rest to token windows"
                    + " (rest=W|adaptive) or the recursion (rest=speculative): then exact in law only, not the sequential samples;"
                    + " diffusion: exact Picard; C = auto, inverse-cdf or gumbel";
        }

        @Override public boolean appliesToAr() { return true; }
        @Override public boolean appliesToDiffusion() { return true; }

        @Override
        public Strategy create(SpecText spec) {
            AutoSampler a = Autospec.auto();
            if (spec.has("budget")) a = a.budget(spec.integer("budget", 0));
            if (spec.has("window")) a = a.window(integerOr(spec, "window", 0, "all", JacobiSampler.ALL));
            if (spec.has("stall")) a = a.stall(spec.bool("stall", true));
            if (spec.has("redraft")) a = a.redraft(spec.bool("redraft", true));
            if (spec.has("hedge")) a = a.hedge(spec.bool("hedge", true));
            if (spec.has("levels") || spec.has("draft-window")) {
                a = a.drafts(spec.integer("levels", AutoSampler.DRAFT_LEVELS), spec.integer("draft-window", AutoSampler.DRAFT_WINDOW));
            }
            if (spec.has("rest")) {
                if ("speculative".equalsIgnoreCase(spec.string("rest", ""))) {
                    a = a.rest(Autospec.speculative());
                } else {
                    int w = integerOr(spec, "rest", ADAPTIVE, "adaptive", ADAPTIVE);
                    a = a.rest(w == ADAPTIVE ? Autospec.tokenAdaptive() : Autospec.token(w));
                }
            }
            if (spec.has("coupling")) a = a.coupling(coupling(spec));
            return a;
        }
    }
}
