package dev.clusterconnect.routes.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;

/**
 * Reads an app's configuration and collects every problem, so a misconfigured deployment is told
 * everything that is wrong at once instead of one restart per mistake.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;
    private final List<String> problems = new ArrayList<>();

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** Settings from a Camel context's properties (application.properties, the config file, env). */
    public static Settings of(CamelContext context) {
        return new Settings(
                key -> context.getPropertiesComponent().resolveProperty(key).map(String::trim));
    }

    public String required(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            problems.add(key + " is required");
            return "";
        }
        return value.get();
    }

    public Optional<String> optional(String key) {
        return lookup.apply(key).filter(v -> !v.isEmpty());
    }

    public String get(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, got '" + value.get() + "'");
            return defaultValue;
        }
    }

    public boolean flag(String key, boolean defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (!value.get().equalsIgnoreCase("true") && !value.get().equalsIgnoreCase("false")) {
            problems.add(key + " must be true or false, got '" + value.get() + "'");
        }
        return Boolean.parseBoolean(value.get());
    }

    /** A duration like {@code 15s}, {@code 500ms}, {@code 2m}. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String v = value.get();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            problems.add(key + " must be a duration like 15s, 500ms or 2m, got '" + v + "'");
            return defaultValue;
        }
    }

    /** A duration above zero: a deadline, which has no "off". */
    public Duration deadline(String key, Duration defaultValue) {
        Duration value = duration(key, defaultValue);
        if (value.isZero() || value.isNegative()) {
            problems.add(key + " must be longer than 0, got '" + optional(key).orElse("") + "'");
            return defaultValue;
        }
        return value;
    }

    /** A path that must name a readable file, when set. */
    public Optional<Path> file(String key) {
        Optional<Path> path = optional(key).map(Path::of);
        path.filter(p -> !Files.isReadable(p)).ifPresent(p -> problems.add(key + ": cannot read " + p));
        return path.filter(Files::isReadable);
    }

    public void problem(String message) {
        problems.add(message);
    }

    /** Throws one exception naming every problem found so far. */
    public void validate(String app) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    app + " configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
    }
}
