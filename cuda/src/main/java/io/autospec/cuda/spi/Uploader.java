package io.autospec.cuda.spi;

/**
 * Copies a model's parameter arrays to the device once, when its model is built. Returns the device
 * address a kernel reads them at; the backend owns the memory and frees it with the model.
 */
public interface Uploader {
    long doubles(double[] data, String what);

    long ints(int[] data, String what);

    long longs(long[] data, String what);
}
