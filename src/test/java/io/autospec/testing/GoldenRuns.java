package io.autospec.testing;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.Backend;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Schedule;
import io.autospec.models.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A fixed set of runs (every strategy on every model family) whose samples' md5s were recorded
 * before the packages were split into API, SPI and internal; {@code GoldenSamplesTest} (CPU backend) and
 * {@code EmulatedGoldenTest} (the CUDA backend on the host emulator) recompute them and compare.
 * The set and its settings must not change; a new run gets a new line.
 *
 * <p>To re-record (only when a change of samples is intended and explained):
 * {@code -Dautospec.golden.write=PATH} writes the lines to PATH instead of comparing.
 */
public final class GoldenRuns {
    private GoldenRuns() {}

    /** One run: a model spec (with n for parametric AR models), a strategy, samples and seed. */
    public record Run(String model, Integer n, String strategyName, Supplier<Strategy> strategy, int samples, long seed) {
        /** {@return the run's line key} */
        public String key() {
            return model + (n == null ? "" : " n=" + n) + " " + strategyName + " M=" + samples + " seed=" + seed;
        }
    }

    private static Map<String, Supplier<Strategy>> arStrategies() {
        Map<String, Supplier<Strategy>> s = new LinkedHashMap<>();
        s.put("sequential", Autospec::sequential);
        s.put("speculative", Autospec::speculative);
        s.put("speculative:rho=0.5,span=4,early=false", () -> Autospec.speculative().rho(0.5).maxSpeculationSpan(4).earlyDecision(false));
        s.put("token:window=4", () -> Autospec.token(4));
        s.put("token:adaptive", Autospec::tokenAdaptive);
        s.put("jacobi", Autospec::jacobi);
        s.put("jacobi:window=5", () -> Autospec.jacobi(5));
        s.put("auto", Autospec::auto);
        s.put("auto:redraft=false", () -> Autospec.auto().redraft(false));
        return s;
    }

    private static Map<String, Supplier<Strategy>> diffusionStrategies() {
        Map<String, Supplier<Strategy>> s = new LinkedHashMap<>();
        s.put("sequential", Autospec::sequential);
        s.put("speculative", Autospec::speculative);
        s.put("speculative:rho=0.5", () -> Autospec.speculative().rho(0.5));
        s.put("auto", Autospec::auto);
        s.put("picard:window=8,tol=0", () -> Autospec.picard(8, 0));
        s.put("picard:window=8,tol=0.01", () -> Autospec.picard(8, 0.01));
        return s;
    }

    /** {@return the fixed set of runs} */
    public static List<Run> runs() {
        List<Run> runs = new java.util.ArrayList<>();
        Object[][] ar = {
            {"product:q=3,seed=5", 24}, {"markov:q=2,stay=0.9", 40}, {"potts:q=5,stay=0.6", 24},
            {"curie-weiss:beta=1.2,h=0.1", 24}, {"parity:constraints=4,seed=3", 20}, {"ltr-markov:q=2,stay=0.9", 20},
            {"dpp:random,n=10,rank=4,seed=2", null}, {"dpp:random-points,n=9,bandwidth=0.5,seed=4", null},
            {"table:@golden/table.csv", null}, {"ust:grid=3x3", null}, {"aztec:order=2", null},
        };
        for (Object[] m : ar) {
            for (Map.Entry<String, Supplier<Strategy>> s : arStrategies().entrySet()) {
                runs.add(new Run((String) m[0], (Integer) m[1], s.getKey(), s.getValue(), 3, 17));
            }
        }
        for (String m : List.of("gmm:k=3,d=2,seed=2", "atoms:k=5,d=2,seed=3", "box:d=3", "gaussian:d=2,mean=1,variance=2")) {
            for (Map.Entry<String, Supplier<Strategy>> s : diffusionStrategies().entrySet()) {
                runs.add(new Run(m, null, s.getKey(), s.getValue(), 3, 17));
            }
        }
        return runs;
    }

    /** {@return md5 of the run's samples, then its rounds, as "MD5 rounds=R"} */
    public static String fingerprint(Run run, Backend backend) {
        ModelSpec spec = ModelSpec.parse(resolve(run.model()));
        MessageDigest md = md5();
        RunResult<?> r;
        if (spec.isDiffusion()) {
            RunResult<double[]> d = Autospec.diffusion(spec.denoiser(), Schedule.geometric(24, 0.05))
                    .strategy(run.strategy().get()).seed(run.seed()).backend(backend).sample(run.samples());
            for (double[] x : d.samples()) {
                ByteBuffer b = ByteBuffer.allocate(8 * x.length);
                for (double v : x) b.putLong(Double.doubleToRawLongBits(v));
                md.update(b.array());
            }
            r = d;
        } else {
            RunResult<int[]> a = Autospec.autoregressive(spec.autoregressive(run.n()))
                    .strategy(run.strategy().get()).seed(run.seed()).backend(backend).sample(run.samples());
            for (int[] x : a.samples()) {
                ByteBuffer b = ByteBuffer.allocate(4 * x.length + 4);
                b.putInt(x.length);
                for (int v : x) b.putInt(v);
                md.update(b.array());
            }
            r = a;
        }
        return HexFormat.of().formatHex(md.digest()) + " rounds=" + r.metrics().rounds();
    }

    /** {@return key -> fingerprint for every run, on backends from the supplier (each closed after its run)} */
    public static Map<String, String> compute(Supplier<Backend> backends) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Run run : runs()) {
            try (Backend b = backends.get()) {
                out.put(run.key(), fingerprint(run, b));
            } catch (RuntimeException e) {
                throw new IllegalStateException(run.key() + ": " + e, e);
            }
        }
        return out;
    }

    /** {@return the recorded fingerprints in a resource "key\tfingerprint" per line} */
    public static Map<String, String> recorded(String resource) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = GoldenRuns.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int tab = line.indexOf('\t');
                m.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return m;
    }

    /** Writes the fingerprints when -Dautospec.golden.write names a file; {@return whether it did} */
    public static boolean writeIfAsked(String header, Map<String, String> fingerprints) throws IOException {
        String target = System.getProperty("autospec.golden.write");
        if (target == null || target.isBlank()) return false;
        StringBuilder sb = new StringBuilder("# ").append(header).append('\n');
        fingerprints.forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
        Files.writeString(Path.of(target), sb.toString());
        return true;
    }

    /** "KIND:@RESOURCE" names a test resource, copied to a temporary file. */
    private static String resolve(String model) {
        int at = model.indexOf(":@");
        if (at < 0) return model;
        try (InputStream in = GoldenRuns.class.getResourceAsStream("/" + model.substring(at + 2))) {
            if (in == null) throw new IllegalStateException("missing test resource " + model);
            Path tmp = Files.createTempFile("golden", ".csv");
            tmp.toFile().deleteOnExit();
            Files.write(tmp, in.readAllBytes());
            return model.substring(0, at + 1) + tmp;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
