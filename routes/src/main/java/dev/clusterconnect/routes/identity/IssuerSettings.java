package dev.clusterconnect.routes.identity;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One trusted OIDC issuer: its exact {@code iss}, the audience tokens must carry, how claims map
 * to a {@link KubeIdentity}, which signature algorithms it may use, and an optional extra CA for
 * its TLS.
 *
 * @param url        the issuer exactly as it appears in {@code iss}; must be https
 * @param audience   a value the token's {@code aud} must contain
 * @param mapping    claim mapping
 * @param algorithms accepted JWS algorithms, a subset of {@link #SUPPORTED_ALGORITHMS}
 * @param caFile     PEM file with extra CA certificates trusted for this issuer's HTTPS, or {@code null}
 */
public record IssuerSettings(
        String url, String audience, ClaimMapping mapping, Set<JWSAlgorithm> algorithms, Path caFile) {

    /** Asymmetric algorithms we can verify. HMAC and {@code none} are never accepted. */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = ordered(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    /** Accepted when an issuer names no algorithms. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = ordered(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384);

    public IssuerSettings {
        checkUrl(url).ifPresent(IssuerSettings::fail);
        if (audience == null || audience.isBlank()) {
            fail("audience must not be blank");
        }
        Objects.requireNonNull(mapping, "mapping");
        if (algorithms == null || algorithms.isEmpty()) {
            fail("at least one algorithm is required");
        }
        algorithms.forEach(alg -> checkAlgorithm(alg.getName()).ifPresent(IssuerSettings::fail));
        algorithms = Collections.unmodifiableSet(new LinkedHashSet<>(algorithms));
    }

    /** Starts settings for the issuer {@code url} with tokens for {@code audience}. */
    public static Builder builder(String url, String audience) {
        return new Builder(url, audience);
    }

    /** The problem with an issuer URL, if any: it must be an absolute https URL without query or fragment. */
    static Optional<String> checkUrl(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("issuer url must not be blank");
        }
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return Optional.of("issuer url must be an absolute https URL: " + url);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.of("issuer url must not have a query or fragment: " + url);
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("issuer url is not a valid URL: " + url);
        }
    }

    /** The problem with an algorithm name, if any. */
    static Optional<String> checkAlgorithm(String name) {
        JWSAlgorithm alg = JWSAlgorithm.parse(name.trim());
        if (SUPPORTED_ALGORITHMS.contains(alg)) {
            return Optional.empty();
        }
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) || "none".equalsIgnoreCase(alg.getName())) {
            return Optional.of("algorithm " + name + " is never allowed: only asymmetric signatures are accepted");
        }
        return Optional.of("unsupported algorithm " + name + ", choose from " + SUPPORTED_ALGORITHMS);
    }

    private static void fail(String problem) {
        throw new IllegalArgumentException(problem);
    }

    private static Set<JWSAlgorithm> ordered(JWSAlgorithm... algorithms) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(algorithms)));
    }

    /**
     * Builds {@link IssuerSettings}; claim keys left unset come from the preset, if any.
     * Without a preset, {@link #usernameClaim(String)} is required.
     */
    public static final class Builder {
        private final String url;
        private final String audience;
        private IssuerPreset preset;
        private String usernameClaim;
        private String usernamePrefix;
        private String groupsClaim;
        private String groupsPrefix;
        private String uidClaim;
        private List<String> extraClaims;
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Path caFile;

        private Builder(String url, String audience) {
            this.url = url;
            this.audience = audience;
        }

        public Builder preset(IssuerPreset preset) {
            this.preset = preset;
            return this;
        }

        public Builder usernameClaim(String claim) {
            this.usernameClaim = claim;
            return this;
        }

        public Builder usernamePrefix(String prefix) {
            this.usernamePrefix = prefix;
            return this;
        }

        /** The groups claim; an empty string means "no groups" even when the preset has one. */
        public Builder groupsClaim(String claim) {
            this.groupsClaim = claim;
            return this;
        }

        public Builder groupsPrefix(String prefix) {
            this.groupsPrefix = prefix;
            return this;
        }

        /** The uid claim; an empty string means "no uid" even when the preset has one. */
        public Builder uidClaim(String claim) {
            this.uidClaim = claim;
            return this;
        }

        public Builder extraClaims(List<String> claims) {
            this.extraClaims = List.copyOf(claims);
            return this;
        }

        public Builder algorithms(Set<JWSAlgorithm> algorithms) {
            this.algorithms = algorithms;
            return this;
        }

        public Builder caFile(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        /** @throws IllegalArgumentException if a setting is invalid */
        public IssuerSettings build() {
            ClaimMapping base = preset == null ? null : preset.mapping();
            ClaimMapping mapping = new ClaimMapping(
                    pick(usernameClaim, base == null ? null : base.usernameClaim()),
                    pick(usernamePrefix, base == null ? "" : base.usernamePrefix()),
                    pick(groupsClaim, base == null ? null : base.groupsClaim()),
                    pick(groupsPrefix, base == null ? "" : base.groupsPrefix()),
                    pick(uidClaim, base == null ? null : base.uidClaim()),
                    pick(extraClaims, base == null ? List.of() : base.extraClaims()));
            return new IssuerSettings(url, audience, mapping, algorithms, caFile);
        }

        private static <T> T pick(T explicit, T fallback) {
            return explicit != null ? explicit : fallback;
        }
    }
}
