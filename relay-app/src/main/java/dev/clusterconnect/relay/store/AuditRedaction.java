package dev.clusterconnect.relay.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of audit lines: drops query parameters named like credentials, then
 * blanks anything shaped like a JWT or a long random token wherever it appears. Two layers,
 * because a token can reach a path without a telling parameter name.
 */
final class AuditRedaction {

    static final String REDACTED = "[redacted]";
    private static final int MAX_LENGTH = 2048;
    private static final List<String> SECRET_NAME_PARTS = List.of(
            "token", "secret", "password", "passwd", "credential", "signature", "apikey", "api_key", "authorization");
    private static final List<String> SECRET_NAMES = List.of("code", "sig", "key", "auth");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)?");
    // 32+ URL-safe characters mixing upper and lower case: random tokens look like that,
    // Kubernetes names (lower-case DNS names) and our 22-character cluster ids do not.
    private static final Pattern OPAQUE_TOKEN = Pattern.compile(
            "(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])" + "[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");

    private AuditRedaction() {}

    /** @return the path with credential-named query parameters removed, then {@link #text}. */
    static String path(String path) {
        if (path == null) {
            return null;
        }
        int query = path.indexOf('?');
        if (query < 0) {
            return text(path);
        }
        StringJoiner kept = new StringJoiner("&", "?", "").setEmptyValue("");
        for (String parameter : path.substring(query + 1).split("&")) {
            if (!parameter.isEmpty() && !isSecretName(parameterName(parameter))) {
                kept.add(parameter);
            }
        }
        return text(path.substring(0, query) + kept);
    }

    /** @return the value with JWTs, bearer credentials and token-shaped runs blanked, capped */
    static String text(String value) {
        if (value == null) {
            return null;
        }
        String capped = value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH);
        String redacted = JWT.matcher(capped).replaceAll(REDACTED);
        redacted = BEARER.matcher(redacted).replaceAll(REDACTED);
        return OPAQUE_TOKEN.matcher(redacted).replaceAll(REDACTED);
    }

    /** @return an upper-case HTTP method, or "OTHER" for anything else */
    static String verb(String verb) {
        return verb != null && verb.matches("[A-Za-z]{1,16}") ? verb.toUpperCase(Locale.ROOT) : "OTHER";
    }

    private static String parameterName(String parameter) {
        int equals = parameter.indexOf('=');
        String raw = equals < 0 ? parameter : parameter.substring(0, equals);
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // Malformed escapes: judge the raw name, which still catches "access_token".
            return raw.toLowerCase(Locale.ROOT);
        }
    }

    private static boolean isSecretName(String name) {
        return SECRET_NAMES.contains(name) || SECRET_NAME_PARTS.stream().anyMatch(name::contains);
    }
}
