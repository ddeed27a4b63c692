package io.autospec.internal.rng;

import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhiloxTest {

    /** Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors). */
    @Test
    void matchesRandom123KnownAnswers() {
        int[] out = new int[4];
        Philox.block(0, 0, 0, 0, 0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        Philox.block(-1, -1, -1, -1, -1, -1, out);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, out);
        Philox.block(0xa4093822, 0x299f31d0, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, out);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, out);
    }

    @Test
    void word64IsTheFirstTwoWords() {
        int[] out = new int[4];
        Philox.block(12, 34, 5, 6, 7, 8, out);
        long w = Philox.word64(12, 34, 5, 6, 7, 8);
        assertEquals(out[0], (int) (w >>> 32));
        assertEquals(out[1], (int) w);
    }

    @Test
    void boundedIntIsUniform() {
        Key key = Key.ofSeed(99);
        int bound = 7, draws = 70_000;
        int[] counts = new int[bound];
        for (int i = 0; i < draws; i++) counts[key.boundedInt(Purpose.ORDER, i, bound)]++;
        double chi2 = 0, e = (double) draws / bound;
        for (int c : counts) chi2 += (c - e) * (c - e) / e;
        // chi-square with 6 degrees of freedom: P(X > 22.46) = 0.001
        assertTrue(chi2 < 22.46, "chi2 = " + chi2);
    }

    @Test
    void derivedKeysDiffer() {
        Key k = Key.ofSeed(1);
        assertTrue(!k.derive(Purpose.TAG_LEFT, 0, 0).equals(k.derive(Purpose.TAG_RIGHT, 0, 0)));
        assertTrue(!k.derive(Purpose.TAG_TRIAL, 1, 0).equals(k.derive(Purpose.TAG_TRIAL, 2, 0)));
        assertEquals(k.derive(Purpose.TAG_TRIAL, 1, 0), Key.ofSeed(1).derive(Purpose.TAG_TRIAL, 1, 0));
    }
}
