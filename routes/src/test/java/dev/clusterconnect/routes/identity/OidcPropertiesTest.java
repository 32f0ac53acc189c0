package dev.clusterconnect.routes.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.http.SslKeystore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcPropertiesTest {

    private static final String PREFIX = "agent.oidc";

    @TempDir
    Path directory;

    @Test
    void parsesEveryKey() throws Exception {
        Path ca = directory.resolve("ca.pem");
        Files.writeString(ca, OidcTestServer.pem(new SslKeystore().getKeyStore().getCertificate("localhost")));
        Map<String, String> properties = Map.ofEntries(
                Map.entry("agent.oidc.issuers.entra.url", "https://login.microsoftonline.com/tenant/v2.0"),
                Map.entry("agent.oidc.issuers.entra.audience", "api://clusterconnect"),
                Map.entry("agent.oidc.issuers.entra.username-claim", "preferred_username"),
                Map.entry("agent.oidc.issuers.entra.username-prefix", "entra:"),
                Map.entry("agent.oidc.issuers.entra.groups-claim", "groups"),
                Map.entry("agent.oidc.issuers.entra.groups-prefix", "entra:"),
                Map.entry("agent.oidc.issuers.entra.uid-claim", "oid"),
                Map.entry("agent.oidc.issuers.entra.extra-claims", "tid, scp"),
                Map.entry("agent.oidc.issuers.entra.algorithms", "RS256,PS256"),
                Map.entry("agent.oidc.issuers.entra.ca-file", ca.toString()),
                Map.entry("agent.oidc.clock-skew", "30s"),
                Map.entry("agent.oidc.allow-system-identities", "true"),
                Map.entry("agent.oidc.service-account-tokens", "true"),
                Map.entry("agent.oidc.max-token-bytes", "8192"),
                Map.entry("agent.oidc.jwks-min-refresh-interval", "2m"),
                Map.entry("agent.apiserver.url", "https://kubernetes.default.svc"));

        AuthenticatorSettings settings = OidcProperties.parse(properties, PREFIX);

        assertEquals(
                new AuthenticatorSettings(
                        List.of(new IssuerSettings(
                                "https://login.microsoftonline.com/tenant/v2.0",
                                "api://clusterconnect",
                                new ClaimMapping(
                                        "preferred_username",
                                        "entra:",
                                        "groups",
                                        "entra:",
                                        "oid",
                                        List.of("tid", "scp")),
                                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256),
                                ca)),
                        Duration.ofSeconds(30),
                        true,
                        true,
                        8192,
                        Duration.ofMinutes(2)),
                settings);
    }

    @Test
    void defaultsApplyWhenOnlyTheRequiredKeysAreSet() {
        AuthenticatorSettings settings = OidcProperties.parse(
                Map.of(
                        "agent.oidc.issuers.kc.url", "https://keycloak.example.com/realms/ops",
                        "agent.oidc.issuers.kc.audience", "clusterconnect",
                        "agent.oidc.issuers.kc.username-claim", "preferred_username"),
                PREFIX + ".");

        assertEquals(Duration.ofSeconds(60), settings.clockSkew());
        assertFalse(settings.allowSystemIdentities());
        assertFalse(settings.serviceAccountTokens());
        assertEquals(16384, settings.maxTokenBytes());
        assertEquals(Duration.ofSeconds(30), settings.jwksMinRefreshInterval());
        IssuerSettings issuer = settings.issuers().get(0);
        assertEquals(IssuerSettings.DEFAULT_ALGORITHMS, issuer.algorithms());
        assertEquals(new ClaimMapping("preferred_username", "", null, "", null, List.of()), issuer.mapping());
        assertNull(issuer.caFile());
    }

    @Test
    void presetFillsTheMappingAndExplicitKeysOverrideIt() {
        AuthenticatorSettings settings = OidcProperties.parse(
                Map.of(
                        "agent.oidc.issuers.entra.url", "https://sts.windows.net/tenant/",
                        "agent.oidc.issuers.entra.audience", "api://clusterconnect",
                        "agent.oidc.issuers.entra.preset", "entra-v1",
                        "agent.oidc.issuers.entra.groups-prefix", "aad:",
                        "agent.oidc.issuers.entra.uid-claim", ""),
                PREFIX);

        assertEquals(
                new ClaimMapping("upn", "", "groups", "aad:", null, List.of("tid")),
                settings.issuers().get(0).mapping());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> properties = new HashMap<>();
        properties.put("agent.oidc.issuers.a.url", "http://insecure.example.com");
        properties.put("agent.oidc.issuers.a.username-claim", "sub");
        properties.put("agent.oidc.issuers.a.algorithms", "RS256,HS256,none");
        properties.put("agent.oidc.issuers.b.audience", "x");
        properties.put("agent.oidc.issuers.b.preset", "okta");
        properties.put(
                "agent.oidc.issuers.b.ca-file", directory.resolve("missing.pem").toString());
        properties.put("agent.oidc.issuers.B_.url", "https://b.example.com");
        properties.put("agent.oidc.issuers.c.colour", "blue");
        properties.put("agent.oidc.clock-skew", "a minute");
        properties.put("agent.oidc.allow-system-identities", "yes");
        properties.put("agent.oidc.max-token-bytes", "0");
        properties.put("agent.oidc.jwks-min-refresh-interval", "10m");
        properties.put("agent.oidc.typo", "1");

        IdentityConfigException error =
                assertThrows(IdentityConfigException.class, () -> OidcProperties.parse(properties, PREFIX));

        List<String> expected = List.of(
                "agent.oidc.issuers.a.url: issuer url must be an absolute https URL",
                "agent.oidc.issuers.a.audience: required",
                "agent.oidc.issuers.a.algorithms: algorithm HS256 is never allowed",
                "agent.oidc.issuers.a.algorithms: algorithm none is never allowed",
                "agent.oidc.issuers.b.url: required",
                "agent.oidc.issuers.b.preset: unknown preset 'okta'",
                "agent.oidc.issuers.b.username-claim: required when no preset is set",
                "agent.oidc.issuers.b.ca-file: cannot read PEM certificates",
                "agent.oidc.issuers.B_.url: issuer name must be",
                "agent.oidc.issuers.c.colour: unknown key",
                "agent.oidc.clock-skew: 'a minute' is not a duration",
                "agent.oidc.allow-system-identities: 'yes' is not true or false",
                "max-token-bytes must be between 1 and",
                "jwks-min-refresh-interval must be at least 1s and less than 5m",
                "agent.oidc.typo: unknown key",
                "no issuer configured");
        for (String problem : expected) {
            assertTrue(
                    error.problems().stream()
                            .anyMatch(reported -> reported.startsWith(problem) || reported.contains(problem)),
                    "missing '" + problem + "' in:\n" + error.getMessage());
        }
        assertEquals(expected.size(), error.problems().size(), error.getMessage());
    }

    @Test
    void serviceAccountPassThroughAloneIsAValidConfiguration() {
        AuthenticatorSettings settings =
                OidcProperties.parse(Map.of("agent.oidc.service-account-tokens", "true"), PREFIX);

        assertTrue(settings.issuers().isEmpty());
        assertTrue(settings.serviceAccountTokens());
    }

    @Test
    void durationsAcceptUnitsAndIso8601() {
        for (var entry : Map.of(
                        "0",
                        Duration.ZERO,
                        "45",
                        Duration.ofSeconds(45),
                        "1500ms",
                        Duration.ofMillis(1500),
                        "2m",
                        Duration.ofMinutes(2),
                        "PT90S",
                        Duration.ofSeconds(90))
                .entrySet()) {
            AuthenticatorSettings settings = OidcProperties.parse(
                    Map.of("agent.oidc.service-account-tokens", "true", "agent.oidc.clock-skew", entry.getKey()),
                    PREFIX);
            assertEquals(entry.getValue(), settings.clockSkew(), entry.getKey());
        }
    }

    @Test
    void duplicateIssuerUrlsAreReported() {
        IdentityConfigException error = assertThrows(
                IdentityConfigException.class,
                () -> OidcProperties.parse(
                        Map.of(
                                "agent.oidc.issuers.one.url", "https://idp.example.com",
                                "agent.oidc.issuers.one.audience", "a",
                                "agent.oidc.issuers.one.username-claim", "sub",
                                "agent.oidc.issuers.two.url", "https://idp.example.com",
                                "agent.oidc.issuers.two.audience", "b",
                                "agent.oidc.issuers.two.username-claim", "sub"),
                        PREFIX));

        assertEquals(List.of("agent.oidc: issuer url configured twice: https://idp.example.com"), error.problems());
    }
}
