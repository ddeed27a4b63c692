package io.autospec.cuda.spi;

/**
 * Writes a kernel's by-value argument struct field by field in declaration order (little-endian,
 * natural alignment: an 8-byte field at an unaligned offset is an error; pad with {@code i32(0)}).
 * The backend checks the total against the size the model declares. Pointers are written as
 * {@link #i64} of a device address.
 */
public interface ArgWriter {
    ArgWriter i64(long v);

    ArgWriter f64(double v);

    ArgWriter i32(int v);

    ArgWriter f32(float v);
}
