package dev.clusterconnect.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/** A real OIDC server over HTTPS on a free port that issues the users' tokens. */
final class Issuer implements AutoCloseable {

    static final String ID = "corp";
    static final String AUDIENCE = "clusterconnect";
    /** A claim copied to extras whose name is not ASCII: its key travels percent-encoded. */
    static final String DEPARTMENT_CLAIM = "département";

    private final MockOAuth2Server server;
    final Path caFile;

    Issuer(Path dir) throws Exception {
        Ssl ssl = new Ssl();
        OAuth2Config config = new OAuth2Config(
                false,
                null,
                null,
                false,
                new OAuth2TokenProvider(new KeyProvider()),
                Set.of(),
                new MockWebServerWrapper(ssl));
        server = new MockOAuth2Server(config);
        server.start();
        caFile = dir.resolve("issuer-ca.pem");
        var certificate = ssl.getSslKeystore().getKeyStore().getCertificate("localhost");
        Files.writeString(
                caFile,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
    }

    String url() {
        return server.issuerUrl(ID).toString();
    }

    /** The URL of another issuer this server also plays, e.g. one shaped like Entra ID. */
    String url(String issuerId) {
        return server.issuerUrl(issuerId).toString();
    }

    /** A token of issuer {@code issuerId} with exactly these claims besides iss, sub, aud, iat, nbf, exp and jti. */
    String token(String issuerId, String subject, String audience, Map<String, Object> claims) {
        return server.issueToken(issuerId, subject, audience, claims, 3600).serialize();
    }

    /** A token for {@code user} in {@code groups}, with a tenant id claim copied to extras. */
    String token(String user, String... groups) {
        return server.issueToken(
                        ID,
                        "sub-" + user,
                        AUDIENCE,
                        Map.of(
                                "preferred_username",
                                user,
                                "groups",
                                java.util.List.of(groups),
                                "oid",
                                "uid-" + user,
                                "tid",
                                "tenant-1"),
                        3600)
                .serialize();
    }

    /** A token for {@code user} for another audience, or one that has expired ({@code lifetimeSeconds} below 0). */
    String token(String user, String audience, long lifetimeSeconds) {
        return server.issueToken(
                        ID,
                        "sub-" + user,
                        audience,
                        Map.of(
                                "preferred_username",
                                user,
                                "groups",
                                java.util.List.of(),
                                "oid",
                                "uid-" + user,
                                "tid",
                                "tenant-1"),
                        lifetimeSeconds)
                .serialize();
    }

    /** A token with {@code claims} in place of the usual ones (alice, no groups, her uid and tenant). */
    String tokenWith(Map<String, Object> claims) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of(
                "preferred_username", "alice", "groups", java.util.List.of(), "oid", "uid-alice", "tid", "tenant-1"));
        all.putAll(claims);
        return server.issueToken(ID, "sub-custom", AUDIENCE, all, 3600).serialize();
    }

    /** The agent's settings that trust this issuer. */
    Map<String, String> agentProperties() {
        String prefix = "agent.oidc.issuers." + ID + ".";
        return Map.of(
                prefix + "url",
                url(),
                prefix + "audience",
                AUDIENCE,
                prefix + "username-claim",
                "preferred_username",
                prefix + "groups-claim",
                "groups",
                prefix + "uid-claim",
                "oid",
                prefix + "extra-claims",
                "tid," + DEPARTMENT_CLAIM,
                prefix + "ca-file",
                caFile.toString());
    }

    /** The relay's settings that trust this issuer, with the agent's claim mapping. */
    Map<String, String> relayProperties() {
        Map<String, String> relay = new java.util.HashMap<>();
        agentProperties().forEach((key, value) -> relay.put("relay." + key.substring("agent.".length()), value));
        return relay;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
