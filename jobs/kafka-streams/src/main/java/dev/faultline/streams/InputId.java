package dev.faultline.streams;

import java.util.regex.Pattern;

/**
 * An input record's value read as the contract's id: a non-negative decimal number (`17`). Anything else
 * (a poison record `!17`, a null value or key, a number past a long) carries the reason it is dead-lettered.
 *
 * @param id    the id when {@link #error()} is null
 * @param error why the record cannot be processed, or null
 */
public record InputId(long id, String error) {
    /** Up to 19 digits; Long.parseLong then rejects the ones past Long.MAX_VALUE. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,19}");
    /** How much of a bad value an error message quotes. */
    private static final int MAX_QUOTED_CHARS = 64;

    public boolean isValid() {
        return error == null;
    }

    public static InputId parse(String key, String value) {
        if (key == null) {
            return invalid("record has no key (the count is per key)");
        }
        if (value == null) {
            return invalid("record has no value (expected a non-negative decimal id)");
        }
        if (DECIMAL.matcher(value).matches()) {
            try {
                return new InputId(Long.parseLong(value), null);
            } catch (NumberFormatException tooLarge) {
                return invalid("id " + quote(value) + " is larger than " + Long.MAX_VALUE);
            }
        }
        return invalid("value " + quote(value) + " is not a non-negative decimal id");
    }

    private static InputId invalid(String error) {
        return new InputId(-1, error);
    }

    private static String quote(String value) {
        String shown = value.length() <= MAX_QUOTED_CHARS ? value : value.substring(0, MAX_QUOTED_CHARS) + "...";
        return "'" + shown + "'";
    }
}
