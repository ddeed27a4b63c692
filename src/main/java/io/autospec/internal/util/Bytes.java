package io.autospec.internal.util;

import java.util.Locale;

/** Byte counts for messages: "1.5 GB", "512 MB", "4 KB" (binary units, at least 1 KB). */
public final class Bytes {
    private Bytes() {}

    /** {@return bytes in the largest binary unit that keeps the number at least 1} */
    public static String format(long bytes) {
        if (bytes >= (1L << 30)) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        if (bytes >= (1L << 20)) return String.format(Locale.ROOT, "%d MB", bytes >> 20);
        return String.format(Locale.ROOT, "%d KB", Math.max(1, bytes >> 10));
    }
}
