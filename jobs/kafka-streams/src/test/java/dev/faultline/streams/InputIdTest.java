package dev.faultline.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputIdTest {
    @Test
    void parsesNonNegativeDecimals() {
        assertEquals(0, InputId.parse("k", "0").id());
        assertEquals(17, InputId.parse("k", "17").id());
        assertEquals(Long.MAX_VALUE, InputId.parse("k", "9223372036854775807").id());
        assertTrue(InputId.parse("k", "17").isValid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"!17", "-1", "+1", " 1", "1 ", "1.0", "", "0x1", "١٧", "9223372036854775808", "99999999999999999999"})
    void rejectsEverythingElse(String value) {
        InputId parsed = InputId.parse("k", value);
        assertFalse(parsed.isValid(), value);
    }

    @Test
    void reasonsNameTheProblem() {
        assertEquals("id '9223372036854775808' is larger than 9223372036854775807", InputId.parse("k", "9223372036854775808").error());
        assertEquals("record has no key (the count is per key)", InputId.parse(null, "1").error());
        assertEquals("record has no value (expected a non-negative decimal id)", InputId.parse("k", null).error());
        assertEquals("value '" + "x".repeat(64) + "...' is not a non-negative decimal id", InputId.parse("k", "x".repeat(100)).error());
    }
}
