package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link AuthenticatorSettings} from flat properties under a prefix, e.g. {@code agent.oidc}:
 * <pre>
 * agent.oidc.issuers.entra.url=https://login.microsoftonline.com/&lt;tenant&gt;/v2.0
 * agent.oidc.issuers.entra.audience=api://clusterconnect
 * agent.oidc.issuers.entra.preset=entra-v2
 * agent.oidc.clock-skew=60s
 * </pre>
 * Every problem (unknown key, bad value, missing value) is collected and reported in one
 * {@link IdentityConfigException}. docs/identity.md lists every key.
 */
public final class OidcProperties {

    private static final String ISSUERS = "issuers.";
    private static final Set<String> GLOBAL_KEYS = Set.of(
            "clock-skew",
            "allow-system-identities",
            "service-account-tokens",
            "max-token-bytes",
            "jwks-min-refresh-interval");
    private static final Set<String> ISSUER_KEYS = Set.of(
            "url",
            "audience",
            "preset",
            "username-claim",
            "username-prefix",
            "groups-claim",
            "groups-prefix",
            "uid-claim",
            "extra-claims",
            "algorithms",
            "ca-file");
    private static final Pattern ISSUER_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    private final String prefix;
    private final List<String> problems = new ArrayList<>();

    private OidcProperties(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Parses the properties that start with {@code prefix} (with or without the trailing dot);
     * other properties are ignored.
     *
     * @throws IdentityConfigException listing every problem found
     */
    public static AuthenticatorSettings parse(Map<String, String> properties, String prefix) {
        String normalized = prefix.endsWith(".") ? prefix : prefix + ".";
        return new OidcProperties(normalized).read(properties);
    }

    private AuthenticatorSettings read(Map<String, String> properties) {
        Map<String, String> global = new TreeMap<>();
        Map<String, Map<String, String>> issuers = new TreeMap<>();
        properties.forEach((key, value) -> sort(key, value, global, issuers));

        Duration clockSkew = duration(global, "clock-skew", AuthenticatorSettings.DEFAULT_CLOCK_SKEW);
        boolean allowSystem = bool(global, "allow-system-identities");
        boolean serviceAccounts = bool(global, "service-account-tokens");
        int maxTokenBytes = integer(global, "max-token-bytes", AuthenticatorSettings.DEFAULT_MAX_TOKEN_BYTES);
        Duration refresh =
                duration(global, "jwks-min-refresh-interval", AuthenticatorSettings.DEFAULT_JWKS_MIN_REFRESH_INTERVAL);
        List<IssuerSettings> parsed = new ArrayList<>();
        issuers.forEach((name, keys) -> parsed.addAll(issuer(name, keys)));

        AuthenticatorSettings.problems(parsed, clockSkew, serviceAccounts, maxTokenBytes, refresh)
                .forEach(problem -> problems.add(prefix.substring(0, prefix.length() - 1) + ": " + problem));
        if (!problems.isEmpty()) {
            throw new IdentityConfigException(problems);
        }
        return new AuthenticatorSettings(parsed, clockSkew, allowSystem, serviceAccounts, maxTokenBytes, refresh);
    }

    private void sort(String key, String value, Map<String, String> global, Map<String, Map<String, String>> issuers) {
        if (!key.startsWith(prefix)) {
            return;
        }
        String local = key.substring(prefix.length());
        String trimmed = value == null ? "" : value.trim();
        if (GLOBAL_KEYS.contains(local)) {
            global.put(local, trimmed);
            return;
        }
        int dot = local.indexOf('.', ISSUERS.length());
        if (local.startsWith(ISSUERS) && dot > 0) {
            String name = local.substring(ISSUERS.length(), dot);
            String issuerKey = local.substring(dot + 1);
            if (!ISSUER_NAME.matcher(name).matches()) {
                problems.add(key + ": issuer name must be lower-case letters, digits and dashes");
            } else if (!ISSUER_KEYS.contains(issuerKey)) {
                problems.add(key + ": unknown key, expected one of " + new TreeSet<>(ISSUER_KEYS));
            } else {
                issuers.computeIfAbsent(name, n -> new TreeMap<>()).put(issuerKey, trimmed);
            }
            return;
        }
        problems.add(key + ": unknown key, expected issuers.<name>.<key> or one of " + new TreeSet<>(GLOBAL_KEYS));
    }

    private List<IssuerSettings> issuer(String name, Map<String, String> keys) {
        String base = prefix + ISSUERS + name + ".";
        int before = problems.size();
        String url = required(keys, base, "url");
        if (url != null) {
            IssuerSettings.checkUrl(url).ifPresent(problem -> problems.add(base + "url: " + problem));
        }
        String audience = required(keys, base, "audience");
        IssuerPreset preset = preset(keys, base);
        if (preset == null && keys.getOrDefault("username-claim", "").isEmpty()) {
            problems.add(base + "username-claim: required when no preset is set");
        }
        Set<JWSAlgorithm> algorithms = algorithms(keys, base);
        Path caFile = caFile(keys, base);
        if (problems.size() > before) {
            return List.of();
        }
        IssuerSettings.Builder builder = IssuerSettings.builder(url, audience)
                .preset(preset)
                .algorithms(algorithms)
                .caFile(caFile);
        ifPresent(keys, "username-claim", builder::usernameClaim);
        ifPresent(keys, "username-prefix", builder::usernamePrefix);
        ifPresent(keys, "groups-claim", builder::groupsClaim);
        ifPresent(keys, "groups-prefix", builder::groupsPrefix);
        ifPresent(keys, "uid-claim", builder::uidClaim);
        ifPresent(keys, "extra-claims", value -> builder.extraClaims(list(value)));
        try {
            return List.of(builder.build());
        } catch (IllegalArgumentException e) {
            problems.add(prefix + ISSUERS + name + ": " + e.getMessage());
            return List.of();
        }
    }

    private String required(Map<String, String> keys, String base, String key) {
        String value = keys.get(key);
        if (value == null || value.isEmpty()) {
            problems.add(base + key + ": required");
            return null;
        }
        return value;
    }

    private IssuerPreset preset(Map<String, String> keys, String base) {
        String id = keys.getOrDefault("preset", "");
        if (id.isEmpty()) {
            return null;
        }
        return IssuerPreset.byId(id.toLowerCase(Locale.ROOT)).orElseGet(() -> {
            problems.add(base + "preset: unknown preset '" + id + "', choose from " + IssuerPreset.ids());
            return null;
        });
    }

    private Set<JWSAlgorithm> algorithms(Map<String, String> keys, String base) {
        List<String> names = list(keys.getOrDefault("algorithms", ""));
        if (names.isEmpty()) {
            return IssuerSettings.DEFAULT_ALGORITHMS;
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : names) {
            IssuerSettings.checkAlgorithm(name)
                    .ifPresentOrElse(
                            problem -> problems.add(base + "algorithms: " + problem),
                            () -> algorithms.add(JWSAlgorithm.parse(name)));
        }
        return algorithms;
    }

    private Path caFile(Map<String, String> keys, String base) {
        String value = keys.getOrDefault("ca-file", "");
        if (value.isEmpty()) {
            return null;
        }
        Path path = Path.of(value);
        try {
            IssuerTls.readCertificates(path);
        } catch (Exception e) {
            problems.add(base + "ca-file: cannot read PEM certificates from " + value + " (" + e.getMessage() + ")");
        }
        return path;
    }

    private Duration duration(Map<String, String> global, String key, Duration fallback) {
        String value = global.getOrDefault(key, "");
        if (value.isEmpty()) {
            return fallback;
        }
        Matcher matcher = DURATION.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2) == null ? "s" : matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(prefix + key + ": '" + value + "' is not a duration (e.g. 60s, 500ms, 2m, PT1M)");
            return fallback;
        }
    }

    private boolean bool(Map<String, String> global, String key) {
        String value = global.getOrDefault(key, "");
        if (value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        problems.add(prefix + key + ": '" + value + "' is not true or false");
        return false;
    }

    private int integer(Map<String, String> global, String key, int fallback) {
        String value = global.getOrDefault(key, "");
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            problems.add(prefix + key + ": '" + value + "' is not a whole number");
            return fallback;
        }
    }

    private static void ifPresent(Map<String, String> keys, String key, Consumer<String> setter) {
        if (keys.containsKey(key)) {
            setter.accept(keys.get(key));
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
    }
}
