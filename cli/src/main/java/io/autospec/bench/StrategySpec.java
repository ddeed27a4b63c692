package io.autospec.bench;

import io.autospec.Autospec;
import io.autospec.ar.AutoSampler;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.Strategy;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A strategy named on the command line: {@code NAME[:key=value,...]}, e.g. {@code sequential},
 * {@code speculative}, {@code speculative:rho=0.1,early=false,max-span=64,trial-steps=65536}, {@code token:window=64}, {@code token:window=adaptive},
 * {@code picard:window=64,tol=1e-3}, {@code jacobi[:window=W]}, {@code auto[:budget=R,window=W,stall=false,redraft=false,levels=L,rest=64|adaptive]}.
 */
public record StrategySpec(String text, String name, Map<String, String> params) {
    private static final Map<String, Set<String>> KEYS = Map.of(
            "sequential", Set.of(),
            "speculative", Set.of("rho", "early", "max-span", "trial-steps"),
            "token", Set.of("window"),
            "picard", Set.of("window", "tol"),
            "jacobi", Set.of("window"),
            "auto", Set.of("budget", "window", "stall", "redraft", "levels", "rest"));

    public static StrategySpec parse(String text) {
        String s = text.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        if (!KEYS.containsKey(name)) {
            throw new IllegalArgumentException("unknown strategy '" + name + "' in " + text + " (known: sequential, speculative, token, picard, jacobi, auto)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0 && colon + 1 < s.length()) {
            for (String part : s.substring(colon + 1).split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("strategy " + text + ": expected key=value, got '" + part + "'");
                String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                if (!KEYS.get(name).contains(key)) {
                    throw new IllegalArgumentException("strategy " + text + ": " + name + " has no setting '" + key + "' (it takes: "
                            + (KEYS.get(name).isEmpty() ? "none" : String.join(", ", KEYS.get(name))) + ")");
                }
                params.put(key, part.substring(eq + 1).strip());
            }
        }
        StrategySpec spec = new StrategySpec(text, name, params);
        spec.strategy(); // validate values now
        return spec;
    }

    /** Whether the strategy applies to AR (true) or diffusion (false) models. */
    public boolean appliesTo(boolean diffusion) {
        return diffusion ? !name.equals("token") && !name.equals("jacobi") : !name.equals("picard");
    }

    public Strategy strategy() {
        switch (name) {
            case "sequential":
                return Autospec.sequential();
            case "speculative": {
                SpeculativeSampler s = Autospec.speculative();
                if (params.containsKey("rho")) s = s.rho(number("rho"));
                if (params.containsKey("early")) s = s.earlyDecision(bool("early"));
                if (params.containsKey("max-span")) s = s.maxSpeculationSpan(integer("max-span"));
                if (params.containsKey("trial-steps")) s = s.maxConcurrentTrialSteps(integer("trial-steps"));
                return s;
            }
            case "token":
                if ("adaptive".equalsIgnoreCase(params.get("window"))) return Autospec.tokenAdaptive();
                return Autospec.token(params.containsKey("window") ? integer("window") : 64);
            case "picard":
                return Autospec.picard(params.containsKey("window") ? integer("window") : 64,
                        params.containsKey("tol") ? number("tol") : 1e-3);
            case "jacobi":
                return params.containsKey("window") ? Autospec.jacobi(integer("window")) : Autospec.jacobi();
            case "auto": {
                AutoSampler a = Autospec.auto();
                if (params.containsKey("budget")) a = a.budget(integer("budget"));
                if (params.containsKey("window")) a = a.window(integer("window"));
                if (params.containsKey("stall")) a = a.stall(bool("stall"));
                if (params.containsKey("redraft")) a = a.redraft(bool("redraft"));
                if (params.containsKey("levels")) a = a.drafts(integer("levels"), AutoSampler.DRAFT_WINDOW);
                if (params.containsKey("rest")) {
                    a = a.rest("adaptive".equalsIgnoreCase(params.get("rest")) ? Autospec.tokenAdaptive() : Autospec.token(integer("rest")));
                }
                return a;
            }
            default:
                throw new IllegalStateException(name);
        }
    }

    /** A label for tables and plots: the text as given. */
    public String label() {
        return text;
    }

    private double number(String key) {
        try {
            return Double.parseDouble(params.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strategy " + text + ": " + key + " must be a number, got '" + params.get(key) + "'");
        }
    }

    private int integer(String key) {
        try {
            return Integer.parseInt(params.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strategy " + text + ": " + key + " must be an integer, got '" + params.get(key) + "'");
        }
    }

    private boolean bool(String key) {
        String v = params.get(key).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("on")) return true;
        if (v.equals("false") || v.equals("off")) return false;
        throw new IllegalArgumentException("strategy " + text + ": " + key + " must be true or false, got '" + params.get(key) + "'");
    }
}
