package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.autospec.core.OracleException;
import org.junit.jupiter.api.Test;

/** Failures print one line with the message a user can act on: no Java exception names, no raw control characters. */
class ExitsMessageTest {
    @Test
    void sparkTaskFailuresShowTheEnginesMessage() {
        String spark = "Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times, most recent failure: Lost task 0.0 in stage 1.0"
                + " (TID 1) (host executor driver): io.autospec.core.OracleException: the oracle returned NaN at sample 3\n\tat io.autospec.X.y(X.java:1)";
        String line = Exits.oneLine(new RuntimeException(spark));
        assertEquals("a Spark task failed: the oracle returned NaN at sample 3", line);
        // With the engine's exception as a cause, its own message.
        assertEquals("bad mass", Exits.oneLine(new RuntimeException(spark, new OracleException("bad mass"))));
        assertFalse(Exits.oneLine(new IllegalStateException(new java.util.concurrent.RejectedExecutionException())).contains("Exception"));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("a\\nb\\tc\\u001b", OutputTarget.shown("a\nb\tc\u001b"));
        assertEquals("plain", OutputTarget.shown("plain"));
    }
}
