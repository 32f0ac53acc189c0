package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.clusterconnect.proxy.token.DeviceCodeTokenSource;
import dev.clusterconnect.proxy.token.RefreshTokenStore;
import dev.clusterconnect.relay.store.SubjectKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Keycloak recipe of docs/identity.md, against a real Keycloak: the server started as the
 * recipe says (production mode, HTTPS, {@code --hostname}), the realm configured by the recipe's
 * own commands, the relay and agent by its own properties, and Alice signing in with the
 * device-code flow the way {@code clusterconnect proxy --oidc-issuer} does. A few clients the
 * recipe warns against (no audience mapper, no group mapper, full group paths) show the messages
 * that point at the fix.
 */
class KeycloakRecipeTest {

    private static final String REALM = "ops";
    private static final String CLIENT = "clusterconnect";
    private static final String PASSWORD = "user-password-for-the-e2e-test";
    /**
     * Clients set up the way the recipe says not to, with the password grant so the test needs no
     * browser for them, and Dave, who is in no group.
     */
    private static final String MISCONFIGURED_CLIENTS = """
            {"ifResourceExists": "FAIL", "clients": [
             {"clientId": "no-audience-mapper", "publicClient": true, "directAccessGrantsEnabled": true,
              "standardFlowEnabled": false},
             {"clientId": "no-group-mapper", "publicClient": true, "directAccessGrantsEnabled": true,
              "standardFlowEnabled": false, "protocolMappers": [%1$s]},
             {"clientId": "full-group-paths", "publicClient": true, "directAccessGrantsEnabled": true,
              "standardFlowEnabled": false, "protocolMappers": [%1$s,
               {"name": "groups", "protocol": "openid-connect", "protocolMapper": "oidc-group-membership-mapper",
                "config": {"claim.name": "groups", "full.path": "true", "access.token.claim": "true"}}]}],
             "users": [{"username": "dave", "enabled": true, "email": "dave@example.com", "emailVerified": true,
              "firstName": "Dave", "lastName": "Grohl", "credentials": [{"type": "password", "value": "%2$s"}]}]}
            """.formatted("""
            {"name": "audience", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
             "config": {"included.custom.audience": "clusterconnect", "access.token.claim": "true"}}""", PASSWORD);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static Keycloak keycloak;
    private static Chain chain;

    /** The first run unpacks and builds Keycloak; each starts it with a fresh database and runs the recipe. */
    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void startKeycloakAndTheChain() throws Exception {
        dir = Files.createTempDirectory("cc-keycloak-");
        keycloak = Keycloak.start(dir);
        keycloak.shell(
                DocBlocks.block("identity.md", "keycloak-realm"),
                Map.of(
                        "KEYCLOAK",
                        keycloak.url,
                        "KEYCLOAK_ADMIN_PASSWORD",
                        Keycloak.ADMIN_PASSWORD,
                        "ALICE_PASSWORD",
                        PASSWORD));
        Files.writeString(dir.resolve("misconfigured.json"), MISCONFIGURED_CLIENTS);
        keycloak.shell(
                "kcadm.sh create partialImport -r " + REALM + " -f " + dir.resolve("misconfigured.json"), Map.of());
        chain = Chain.startTrusting(recipeProperties(), "alice");
        chain.relayDatabase().grants().grant(chain.clusterId, SubjectKind.GROUP, "keycloak:sre", Chain.OWNER);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chain != null) {
                chain.close();
            }
        } finally {
            if (keycloak != null) {
                keycloak.close();
            }
        }
    }

    @AfterEach
    void noStreamLeft() {
        chain.awaitNoOpenStreams();
    }

    /** The recipe's properties, with this Keycloak's address and CA in place of the examples. */
    private static Map<String, String> recipeProperties() throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        DocBlocks.properties("identity.md", "keycloak-properties")
                .forEach((key, value) -> properties.put(
                        key,
                        key.endsWith(".ca-file")
                                ? keycloak.caFile.toString()
                                : value.replace("https://keycloak.example.com", keycloak.url)));
        return properties;
    }

    @Test
    void theIssuerIsTheHostnameWhicheverHostARequestNames() throws Exception {
        HttpRequest byAddress = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + keycloak.port + "/realms/"
                        + REALM + "/.well-known/openid-configuration"))
                .build();
        JsonNode discovery = JSON.readTree(keycloak.http
                .send(byAddress, HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(discovery.path("issuer").asText()).isEqualTo(keycloak.issuer(REALM));
    }

    @Test
    void aliceSignsInWithTheDeviceCodeFlowAndIsTheKeycloakUserInHerGroup() throws Exception {
        String idToken = signIn(DeviceCodeTokenSource.TokenType.ID_TOKEN);
        chain.useToken(idToken);
        String whoami = chain.kubectl().run("auth", "whoami", "-o", "json").ok().out();
        JsonNode user = JSON.readTree(whoami).path("status").path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo("keycloak:alice");
        assertThat(texts(user.path("groups"))).contains("keycloak:sre");
        assertThat(user.path("uid").asText())
                .isEqualTo(SignedJWT.parse(idToken).getJWTClaimsSet().getSubject());
        assertThat(SignedJWT.parse(idToken).getJWTClaimsSet().getIssuer()).isEqualTo(keycloak.issuer(REALM));
    }

    @Test
    void theAccessTokenCarriesTheAudienceTheMapperAddsAndMapsTheSame() throws Exception {
        String accessToken = signIn(DeviceCodeTokenSource.TokenType.ACCESS_TOKEN);
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getAudience()).contains(CLIENT);
        chain.useToken(accessToken);
        JsonNode user = JSON.readTree(
                        chain.kubectl().run("auth", "whoami", "-o", "json").ok().out())
                .path("status")
                .path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo("keycloak:alice");
        assertThat(texts(user.path("groups"))).contains("keycloak:sre");
    }

    @Test
    void withoutTheAudienceMapperKubectlSaysWhichAudienceCameAndPointsAtTheMapper() throws Exception {
        chain.useToken(passwordGrant("no-audience-mapper", "alice"));
        var refused = chain.kubectl().run("get", "pods");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err())
                .contains("token audience is [\"account\"], expected clusterconnect")
                .contains("Keycloak: an Audience mapper on the client");
    }

    @Test
    void withoutTheGroupMapperKubectlSaysTheTokenGaveNoGroupsAndPointsAtTheMapper() throws Exception {
        chain.useToken(passwordGrant("no-group-mapper", "alice"));
        var refused = chain.kubectl().run("get", "pods");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err())
                .contains("user keycloak:alice may not reach cluster " + chain.clusterId + "; the token gave no groups")
                .contains("Group Membership mapper");
    }

    @Test
    void withFullGroupPathsKubectlNamesThePathsAndTheSwitch() throws Exception {
        chain.useToken(passwordGrant("full-group-paths", "alice"));
        var refused = chain.kubectl().run("get", "pods");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err())
                .contains("groups keycloak:/sre are Keycloak full group paths")
                .contains("'Full group path'");
    }

    @Test
    void aUserInNoGroupGetsATokenWithoutAGroupsClaimAndIsAUserInNoGroup() throws Exception {
        String token = passwordGrant("full-group-paths", "dave");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getClaims()).doesNotContainKey("groups");
        chain.relayDatabase().grants().grant(chain.clusterId, SubjectKind.USER, "keycloak:dave", Chain.OWNER);
        chain.useToken(token);
        JsonNode user = JSON.readTree(
                        chain.kubectl().run("auth", "whoami", "-o", "json").ok().out())
                .path("status")
                .path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo("keycloak:dave");
        assertThat(texts(user.path("groups"))).containsExactly("system:authenticated");
    }

    /**
     * Alice's sign-in as the CLI runs it: the product's device-code token source prints the link,
     * and she opens it, signs in and grants access. The refresh token it keeps makes a second call
     * (for the other kind of token) sign in without her.
     */
    private static String signIn(DeviceCodeTokenSource.TokenType type) throws Exception {
        List<CompletableFuture<Void>> browsing = new java.util.concurrent.CopyOnWriteArrayList<>();
        PrintStream prompt = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                if (line.startsWith("or open ")) {
                    String link = line.substring("or open ".length());
                    browsing.add(CompletableFuture.runAsync(() -> {
                        try {
                            new KeycloakBrowser(keycloak.tls).signIn(link, "alice", PASSWORD);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
            }
        };
        URI issuer = URI.create(keycloak.issuer(REALM));
        DeviceCodeTokenSource source = DeviceCodeTokenSource.builder(issuer, CLIENT)
                .tokenType(type)
                .prompt(prompt)
                .refreshTokenStore(RefreshTokenStore.in(dir.resolve("oidc"), issuer, CLIENT))
                .httpClient(HttpClient.newBuilder()
                        .sslContext(keycloak.tls)
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build())
                .build();
        String token = source.token().value();
        for (CompletableFuture<Void> done : browsing) {
            done.join();
        }
        return token;
    }

    /** An access token from a client with the password grant, as a script with curl would get it. */
    private static String passwordGrant(String clientId, String user) throws Exception {
        String form = Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        clientId,
                        "username",
                        user,
                        "password",
                        PASSWORD,
                        "scope",
                        "openid")
                .entrySet()
                .stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(keycloak.issuer(REALM) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = keycloak.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
