package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Symbols outside the Basic Multilingual Plane are one symbol each: counted, decoded and pinned as code points. */
class VocabularyCodePointsTest {
    static final String SYMBOLS = "ab\uD83D\uDE00\uD83C\uDF55 "; // a, b, grinning face, pizza, space

    @Test
    void emojiAreOneSymbolEach() {
        Vocabulary v = Vocabulary.of(SYMBOLS);
        assertEquals(5, v.size());
        assertEquals(0x1F600, v.codePoint(2));
        assertEquals("\uD83C\uDF55", v.symbol(3));
        assertEquals("a\uD83D\uDE00 \uD83C\uDF55b", v.decode(new int[] {0, 2, 4, 3, 1}));
        assertEquals(2, v.encode(0x1F600));
    }

    @Test
    void patternsPinCodePoints() {
        Vocabulary v = Vocabulary.of(SYMBOLS);
        assertArrayEquals(new int[] {0, 2, -1, 3, -1}, v.pattern("a\uD83D\uDE00_\uD83C\uDF55", 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.pattern("a\uD83D\uDE80", 5));
        assertTrue(e.getMessage().contains("\uD83D\uDE80") && e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void repeatsAndUnpairedSurrogatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of("a\uD83D\uDE00\uD83D\uDE00"));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of("ab\uD83D"));
    }
}
