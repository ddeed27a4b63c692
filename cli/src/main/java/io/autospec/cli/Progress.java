package io.autospec.cli;

import io.autospec.core.RoundListener;
import io.autospec.core.RunMetrics;
import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows progress on runs longer than a couple of seconds: a progress bar (samples finished, with
 * rounds and queries) on an interactive terminal, else a plain status line every few seconds.
 */
final class Progress implements RoundListener, AutoCloseable {
    private static final long DELAY_NANOS = 2_000_000_000L;
    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final boolean enabled;
    private final boolean interactive;
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long lastPlain;
    private ProgressBar bar;

    Progress(boolean enabled, boolean interactive, PrintStream err) {
        this.enabled = enabled;
        this.interactive = interactive;
        this.err = err;
    }

    @Override
    public void afterRound(RunMetrics m) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - start < DELAY_NANOS) return;
        String status = "round " + m.rounds() + ", " + m.queries() + " queries";
        if (interactive) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("sampling").setInitialMax(m.samples())
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" samples", 1)
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).build();
            }
            bar.stepTo(m.samplesDone());
            bar.setExtraMessage(status);
        } else if (now - lastPlain >= PLAIN_EVERY_NANOS || lastPlain == 0) {
            lastPlain = now;
            err.printf("autospec: %d/%d samples done, %s, %.0f s%n", m.samplesDone(), m.samples(), status, (now - start) * 1e-9);
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
