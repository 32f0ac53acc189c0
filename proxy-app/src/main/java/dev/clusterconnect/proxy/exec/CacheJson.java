package dev.clusterconnect.proxy.exec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the small JSON of the credential cache without Jackson: kubectl starts the
 * exec plugin for every command, and loading Jackson alone would cost more than the whole cached
 * answer may take (docs/benchmarks.md). Only objects, arrays and strings are read, which is all
 * the cache and the ExecCredential it holds contain; anything else is refused, so a corrupt or
 * foreign file reads as no cache entry rather than as a wrong one.
 */
final class CacheJson {

    private final String text;
    private int at;

    private CacheJson(String text) {
        this.text = text;
    }

    /**
     * @param text one JSON value made of objects, arrays and strings
     * @return {@code Map<String, Object>}, {@code List<Object>} or {@code String}
     * @throws IllegalArgumentException if the text is anything else
     */
    static Object parse(String text) {
        CacheJson reader = new CacheJson(text);
        Object value = reader.value();
        reader.skipSpace();
        if (reader.at != text.length()) {
            throw reader.error();
        }
        return value;
    }

    /** A JSON string literal that {@link #parse} reads back to {@code value}. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private Object value() {
        skipSpace();
        char c = peek();
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '"') {
            return string();
        }
        throw error();
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}') {
            at++;
            return members;
        }
        do {
            skipSpace();
            String name = string();
            skipSpace();
            expect(':');
            if (members.put(name, value()) != null) {
                throw error(); // a duplicate member is not something we wrote
            }
            skipSpace();
        } while (next() == ',');
        at--;
        expect('}');
        return members;
    }

    private List<Object> array() {
        List<Object> items = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return items;
        }
        do {
            items.add(value());
            skipSpace();
        } while (next() == ',');
        at--;
        expect(']');
        return items;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw error();
            }
        }
    }

    private char unicodeEscape() {
        if (at + 4 > text.length()) {
            throw error();
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at++), 16);
            if (digit < 0) {
                throw error();
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw error();
        }
    }

    private char peek() {
        if (at >= text.length()) {
            throw error();
        }
        return text.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private IllegalArgumentException error() {
        // the position only: the text may hold a token
        return new IllegalArgumentException("not the cache's JSON at offset " + at);
    }
}
