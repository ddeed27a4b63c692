package io.autospec.cuda;

import java.util.Arrays;

/** A growable int array reused across launches (packing scratch). */
final class IntList {
    int[] a = new int[256];
    int size;

    void clear() {
        size = 0;
    }

    void add(int v) {
        if (size == a.length) a = Arrays.copyOf(a, Math.max(16, 2 * a.length));
        a[size++] = v;
    }

    void add(int[] src, int from, int count) {
        ensure(size + count);
        System.arraycopy(src, from, a, size, count);
        size += count;
    }

    void ensure(int n) {
        if (n > a.length) a = Arrays.copyOf(a, Math.max(n, 2 * a.length));
    }
}
