package dev.clusterconnect.relay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/** A real OIDC server over HTTPS on a free port that issues the callers' tokens. */
final class TestIssuer implements AutoCloseable {

    static final String ID = "corp";
    static final String AUDIENCE = "clusterconnect";

    private final MockOAuth2Server server;
    private final Path caFile;

    TestIssuer(Path dir) throws Exception {
        Ssl ssl = new Ssl();
        server = new MockOAuth2Server(new OAuth2Config(
                false,
                null,
                null,
                false,
                new OAuth2TokenProvider(new KeyProvider()),
                Set.of(),
                new MockWebServerWrapper(ssl)));
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

    String token(String user, String... groups) {
        return server.issueToken(
                        ID,
                        "sub-" + user,
                        AUDIENCE,
                        Map.of("preferred_username", user, "groups", List.of(groups)),
                        3600)
                .serialize();
    }

    /** The relay's settings that trust this issuer. */
    Map<String, String> relayProperties() {
        String prefix = "relay.oidc.issuers." + ID + ".";
        return Map.of(
                prefix + "url",
                server.issuerUrl(ID).toString(),
                prefix + "audience",
                AUDIENCE,
                prefix + "username-claim",
                "preferred_username",
                prefix + "groups-claim",
                "groups",
                prefix + "ca-file",
                caFile.toString());
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
