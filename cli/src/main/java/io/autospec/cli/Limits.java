package io.autospec.cli;

import java.util.List;

/** Argument ranges shared by the commands. */
final class Limits {
    private Limits() {}

    /** Most CPU threads accepted: far above any machine's cores, below the fork-join pool's hard limit. */
    static final int MAX_THREADS = 1024;

    static void checkThreads(int threads, List<String> problems) {
        if (threads < 0 || threads > MAX_THREADS) {
            problems.add("--threads must be in [0, " + MAX_THREADS + "] (0 = all processors), got " + threads);
        }
    }
}
