package dev.clusterconnect.routes.identity;

import java.nio.charset.StandardCharsets;

/**
 * Identity values as impersonation header values. The apiserver (Go's net/http) keeps header bytes
 * as they arrive and reads them as UTF-8, the way client-go writes them. Netty writes a header
 * string one byte per character (ISO-8859-1) and turns any character above U+00FF into {@code ?};
 * our tunnel frames carry header strings the same way. So an identity value leaves as its UTF-8
 * bytes held one per character, the form every other header already has on its way through Netty,
 * and no hop after us encodes it again.
 */
final class HeaderText {

    private HeaderText() {}

    /**
     * What in {@code value} an impersonation header cannot carry faithfully, or {@code null}:
     * control characters would end or split the header, HTTP parsers trim surrounding blanks (so
     * "alice " would arrive as "alice"), and an unpaired surrogate has no UTF-8 form at all.
     */
    static String flaw(String value) {
        String flaw = characterFlaw(value);
        boolean padded = !value.isEmpty() && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)));
        return flaw == null && padded ? "surrounding blanks" : flaw;
    }

    /** Like {@link #flaw(String)} for a part of a value (a configured prefix): blanks are allowed. */
    static String characterFlaw(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control characters";
            }
            boolean paired = Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "an unpaired surrogate (invalid UTF-16)";
            }
        }
        return null;
    }

    /**
     * The UTF-8 bytes of {@code value} as a string of one character per byte, ready for Netty.
     *
     * @throws IllegalArgumentException when {@code value} has a {@link #flaw(String)}; the claim
     *                                  mapper refuses such values first, naming the claim
     */
    static String onTheWire(String value) {
        String flaw = flaw(value);
        if (flaw != null) {
            throw new IllegalArgumentException("an impersonation header value holds " + flaw);
        }
        return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
