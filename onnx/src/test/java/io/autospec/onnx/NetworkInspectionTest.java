package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.nn.Executor;
import io.autospec.nn.ExecutorProvider;
import io.autospec.nn.HostExecutor;
import io.autospec.nn.Plan;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The inspection's check compares autospec's executor with ONNX Runtime and can fail: a planted
 * device whose outputs are off by a relative 1e-3 in one value is called DIFFER, an exact one agree.
 */
class NetworkInspectionTest {

    /** A "device" running the host executor, its outputs scaled by {@code 1 + error} at one element of each call. */
    static ExecutorProvider planted(float error) {
        return new ExecutorProvider() {
            @Override
            public String name() {
                return "planted";
            }

            @Override
            public Optional<String> unavailable() {
                return Optional.empty();
            }

            @Override
            public Executor open(Plan plan) {
                HostExecutor host = new HostExecutor(plan, 1);
                return new Executor() {
                    @Override
                    public String name() {
                        return "planted";
                    }

                    @Override
                    public Plan plan() {
                        return plan;
                    }

                    @Override
                    public void run(Object[] inputs, float[][] outputs) {
                        host.run(inputs, outputs);
                        float[] o = outputs[0];
                        int k = 0;
                        for (int i = 1; i < o.length; i++) if (Math.abs(o[i]) > Math.abs(o[k])) k = i;
                        o[k] *= 1 + error; // the largest value: the row's scale, so the relative error is exactly that
                    }

                    @Override
                    public void close() {
                        host.close();
                    }
                };
            }
        };
    }

    @Test
    void theCheckAgreesWithAnExactExecutorAndCatchesAWrongOne() {
        NetworkInspection.Settings s = new NetworkInspection.Settings(8, 3, 1, "auto");
        for (String kind : new String[] {"onnx", "onnx-denoiser"}) {
            String file = (kind.equals("onnx") ? DigitsModelTest.DIGITS : OnnxDenoiserTest.DIGITS).toString();
            Map<?, ?> exact = (Map<?, ?>) NetworkInspection.inspect(kind, file, s, planted(0f)).get("check");
            assertEquals("agree", exact.get("verdict"), exact.toString());
            assertTrue((double) exact.get("max rel difference") < 1e-5, exact.toString());
            Map<?, ?> wrong = (Map<?, ?>) NetworkInspection.inspect(kind, file, s, planted(1e-3f)).get("check");
            assertEquals("DIFFER", wrong.get("verdict"), wrong.toString());
            assertTrue((double) wrong.get("max rel difference") > 5e-4, wrong.toString());
            assertEquals("planted vs onnxruntime-cpu", wrong.get("evaluators"));
        }
    }

    @Test
    void anUnsupportedGraphNamesTheOpAndNodeAndSkipsTheCheck() {
        Map<String, Object> r = NetworkInspection.inspect("onnx", BadInputTest.RES.resolve("unsupported-op.onnx").toString(),
                new NetworkInspection.Settings(4, 1, 1, "cpu"));
        Map<?, ?> ex = (Map<?, ?>) r.get("autospec executor");
        assertEquals(false, ex.get("supported"));
        assertEquals(java.util.List.of("HardSwish (node 'hidden_hardswish'): no step implements it"), ex.get("unsupported"));
        assertTrue(String.valueOf(r.get("check")).startsWith("not run"), String.valueOf(r.get("check")));
        assertEquals(4, r.get("n"));
        assertEquals(3, r.get("q"));
    }
}
