package dev.clusterconnect.routes.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link TokenAuthenticator} needs. Build with {@link #builder()} or parse with
 * {@link OidcProperties#parse(java.util.Map, String)}.
 *
 * @param issuers                trusted issuers, each with a distinct URL
 * @param clockSkew              tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param allowSystemIdentities  whether mapped users and groups may be in the reserved {@code system:} space
 * @param serviceAccountTokens   whether tokens not from a trusted issuer pass through to the apiserver unchanged
 * @param maxTokenBytes          larger tokens are refused before parsing
 * @param jwksMinRefreshInterval an issuer's JWKS is fetched at most twice in this interval, however many
 *                               unknown {@code kid}s arrive (one fetch for expiry, one for rotation)
 */
public record AuthenticatorSettings(
        List<IssuerSettings> issuers,
        Duration clockSkew,
        boolean allowSystemIdentities,
        boolean serviceAccountTokens,
        int maxTokenBytes,
        Duration jwksMinRefreshInterval) {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_TOKEN_BYTES = 16 * 1024;
    public static final Duration DEFAULT_JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    static final int MAX_TOKEN_BYTES_LIMIT = 1024 * 1024;
    /** Keys are cached this long; the refresh interval must stay below it. */
    static final Duration JWKS_CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);

    public AuthenticatorSettings {
        issuers = List.copyOf(issuers);
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(jwksMinRefreshInterval, "jwksMinRefreshInterval");
        List<String> problems =
                problems(issuers, clockSkew, serviceAccountTokens, maxTokenBytes, jwksMinRefreshInterval);
        if (!problems.isEmpty()) {
            throw new IdentityConfigException(problems);
        }
    }

    /** Starts settings with the defaults: no issuers, 60 s skew, 16 KiB tokens, 30 s refresh interval. */
    public static Builder builder() {
        return new Builder();
    }

    static List<String> problems(
            List<IssuerSettings> issuers,
            Duration clockSkew,
            boolean serviceAccountTokens,
            int maxTokenBytes,
            Duration jwksMinRefreshInterval) {
        List<String> problems = new ArrayList<>();
        if (issuers.isEmpty() && !serviceAccountTokens) {
            problems.add("no issuer configured and service-account tokens are off: every token would be refused");
        }
        Set<String> urls = new HashSet<>();
        issuers.stream()
                .map(IssuerSettings::url)
                .filter(url -> !urls.add(url))
                .forEach(url -> problems.add("issuer url configured twice: " + url));
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            problems.add("clock-skew must be between 0s and " + MAX_CLOCK_SKEW.toMinutes() + "m");
        }
        if (maxTokenBytes < 1 || maxTokenBytes > MAX_TOKEN_BYTES_LIMIT) {
            problems.add("max-token-bytes must be between 1 and " + MAX_TOKEN_BYTES_LIMIT);
        }
        if (jwksMinRefreshInterval.compareTo(Duration.ofSeconds(1)) < 0
                || jwksMinRefreshInterval.compareTo(JWKS_CACHE_TIME_TO_LIVE) >= 0) {
            problems.add("jwks-min-refresh-interval must be at least 1s and less than "
                    + JWKS_CACHE_TIME_TO_LIVE.toMinutes() + "m (the key cache lifetime)");
        }
        return problems;
    }

    /** Builds {@link AuthenticatorSettings} programmatically, for tests and embedding. */
    public static final class Builder {
        private final List<IssuerSettings> issuers = new ArrayList<>();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private boolean allowSystemIdentities;
        private boolean serviceAccountTokens;
        private int maxTokenBytes = DEFAULT_MAX_TOKEN_BYTES;
        private Duration jwksMinRefreshInterval = DEFAULT_JWKS_MIN_REFRESH_INTERVAL;

        private Builder() {}

        public Builder issuer(IssuerSettings issuer) {
            issuers.add(issuer);
            return this;
        }

        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        public Builder allowSystemIdentities(boolean allow) {
            this.allowSystemIdentities = allow;
            return this;
        }

        public Builder serviceAccountTokens(boolean passThrough) {
            this.serviceAccountTokens = passThrough;
            return this;
        }

        public Builder maxTokenBytes(int maxTokenBytes) {
            this.maxTokenBytes = maxTokenBytes;
            return this;
        }

        public Builder jwksMinRefreshInterval(Duration interval) {
            this.jwksMinRefreshInterval = interval;
            return this;
        }

        /** @throws IdentityConfigException listing every problem */
        public AuthenticatorSettings build() {
            return new AuthenticatorSettings(
                    issuers,
                    clockSkew,
                    allowSystemIdentities,
                    serviceAccountTokens,
                    maxTokenBytes,
                    jwksMinRefreshInterval);
        }
    }
}
