package io.autospec.cli;

import io.autospec.core.RoundListener;
import io.autospec.core.RunMetrics;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows progress on runs longer than a couple of seconds, in units that advance during the run:
 * rounds and queries done and, where the strategy reports it, the share of all samples' steps drawn
 * (samples themselves all finish near the end of a run, so counting them says little). A progress
 * bar on an interactive terminal, else a plain status line every few seconds.
 */
final class Progress implements RoundListener, AutoCloseable {
    private static final long DELAY_NANOS = 2_000_000_000L;
    private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final boolean enabled;
    private final boolean interactive;
    private final PrintStream err;
    private final long delayNanos, plainEveryNanos;
    private final long start = System.nanoTime();
    private long lastPlain;
    private ProgressBar bar;

    Progress(boolean enabled, boolean interactive, PrintStream err) {
        this(enabled, interactive, err, DELAY_NANOS, PLAIN_EVERY_NANOS);
    }

    Progress(boolean enabled, boolean interactive, PrintStream err, long delayNanos, long plainEveryNanos) {
        this.enabled = enabled;
        this.interactive = interactive;
        this.err = err;
        this.delayNanos = delayNanos;
        this.plainEveryNanos = plainEveryNanos;
    }

    /** One status line: rounds, queries, steps drawn (when reported), samples done. */
    static String status(RunMetrics m) {
        StringBuilder sb = new StringBuilder();
        sb.append("round ").append(m.rounds()).append(", ").append(m.queries()).append(" queries");
        if (m.stepsTotal() > 0) {
            sb.append(String.format(Locale.ROOT, ", %.1f%% of steps drawn (%d/%d)", 100.0 * m.stepsReached() / m.stepsTotal(),
                    m.stepsReached(), m.stepsTotal()));
        }
        sb.append(", ").append(m.samplesDone()).append('/').append(m.samples()).append(" samples done");
        return sb.toString();
    }

    @Override
    public void afterRound(RunMetrics m) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - start < delayNanos) return;
        if (interactive) {
            if (bar == null) {
                boolean steps = m.stepsTotal() > 0;
                bar = new ProgressBarBuilder().setTaskName("sampling").setInitialMax(steps ? m.stepsTotal() : m.samples())
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(steps ? " steps drawn" : " samples done", 1)
                        .hideEta() // rounds are far from uniform in cost, so a linear ETA misleads
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).build();
            }
            bar.stepTo(m.stepsTotal() > 0 ? m.stepsReached() : m.samplesDone());
            bar.setExtraMessage("round " + m.rounds() + ", " + m.queries() + " queries");
        } else if (now - lastPlain >= plainEveryNanos || lastPlain == 0) {
            lastPlain = now;
            err.printf(Locale.ROOT, "autospec: %s, %.0f s%n", status(m), (now - start) * 1e-9);
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
