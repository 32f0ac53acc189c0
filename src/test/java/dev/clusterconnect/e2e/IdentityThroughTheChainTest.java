package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clusterconnect.relay.store.SubjectKind;
import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import dev.clusterconnect.sandbox.RecordedRequest;
import dev.clusterconnect.sandbox.auth.Identity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who the chain makes you: the agent verifies the token from a real OIDC server and impersonates
 * the identity it maps; nothing the client sends can choose another one. On a real cluster the
 * identity is read back from the apiserver ({@code auth whoami}, its RBAC refusals); that a refused
 * request never reached the apiserver, and which headers did, only the sandbox can tell.
 */
class IdentityThroughTheChainTest {

    private static Chain chain;
    private static RawHttps proxy;

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.start("alice", "dev", "ops");
        int port = ((KubeServerEndpoint)
                        chain.proxy.getCamelContext().getRoute("proxy-local").getEndpoint())
                .boundPort();
        proxy = new RawHttps(
                chain.proxy.getCamelContext().getRegistry().lookupByNameAndType("localCaPem", String.class), port);
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    private static void clearRecords() {
        if (chain.hasSandbox()) {
            chain.apiserver.clearRecords();
        }
    }

    /** With the sandbox: nothing reached it since {@link #clearRecords()}. */
    private static void assertNothingReachedTheApiserver() {
        if (chain.hasSandbox()) {
            assertThat(chain.apiserver.requests()).isEmpty();
        }
    }

    /** The request the sandbox received, to read its headers. */
    private static RecordedRequest received(String pathEnd) {
        return chain.apiserver.awaitRequest(r -> r.path().endsWith(pathEnd), Duration.ofSeconds(5));
    }

    @AfterEach
    void backToAlice() throws Exception {
        chain.useToken(chain.issuer.token("alice", "dev", "ops"));
        chain.awaitNoOpenStreams();
    }

    @Test
    void authWhoamiShowsTheMappedUserGroupsUidAndExtras() throws Exception {
        clearRecords();
        String out = chain.kubectl().run("auth", "whoami", "-o", "json").ok().out();
        assertThat(out)
                .contains("\"username\": \"alice\"")
                .contains("\"dev\"")
                .contains("\"ops\"")
                .contains("\"uid\": \"uid-alice\"")
                .contains("\"tid\"")
                .contains("tenant-1");
        if (chain.hasSandbox()) {
            RecordedRequest review = received("/selfsubjectreviews");
            assertThat(review.headers("Impersonate-User")).containsExactly("alice");
            assertThat(review.headers("Impersonate-Group")).containsExactly("dev", "ops");
            assertThat(review.headers("Impersonate-Uid")).containsExactly("uid-alice");
            assertThat(review.headers("Impersonate-Extra-tid")).containsExactly("tenant-1");
            assertThat(review.headers("Authorization")).containsExactly("Bearer agent-secret-token");
        }
    }

    @Test
    void nonAsciiNamesReachTheApiserverAsTheNamesTheyAre() throws Exception {
        var grants = chain.relayDatabase().grants();
        grants.grant(chain.clusterId, SubjectKind.USER, "alíce", Chain.OWNER);
        try {
            clearRecords();
            chain.useToken(chain.issuer.tokenWith(Map.of(
                    "preferred_username",
                    "alíce",
                    "groups",
                    List.of("山田", "dev"),
                    "oid",
                    "uid-ü",
                    Issuer.DEPARTMENT_CLAIM,
                    "forschung-été")));
            String out =
                    chain.kubectl().run("auth", "whoami", "-o", "json").ok().out();
            assertThat(out)
                    .contains("\"username\": \"alíce\"")
                    .contains("\"山田\"")
                    .contains("\"uid\": \"uid-ü\"")
                    .contains("\"département\"")
                    .contains("\"forschung-été\"");
            if (chain.hasSandbox()) {
                RecordedRequest review = received("/selfsubjectreviews");
                assertThat(review.identity())
                        .isEqualTo(new Identity(
                                "alíce",
                                "uid-ü",
                                List.of("山田", "dev", Identity.AUTHENTICATED),
                                Map.of("tid", List.of("tenant-1"), "département", List.of("forschung-été"))));
                assertThat(review.headers("Impersonate-User")).containsExactly("alíce");
                assertThat(review.headers("Impersonate-Extra-d%C3%A9partement")).containsExactly("forschung-été");
            }
        } finally {
            grants.revoke(chain.clusterId, SubjectKind.USER, "alíce");
        }
    }

    @Test
    void aNameWithAControlCharacterIsRefusedNamingTheClaimAndNeverReachesTheApiserver() throws Exception {
        clearRecords();
        chain.useToken(
                chain.issuer.tokenWith(Map.of("preferred_username", "alice\r\nImpersonate-Group: system:masters")));
        // not `auth whoami`: it answers any 403 with a message of its own
        var result = chain.kubectl().run("get", "--raw", "/api/v1/namespaces/" + chain.namespace() + "/pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("Forbidden").contains("claim 'preferred_username' holds control characters");
        String response = proxy.exchange(get("Accept: application/json"));
        assertThat(response)
                .startsWith("HTTP/1.1 403")
                .contains("\"kind\":\"Status\"")
                .contains(
                        "claim 'preferred_username' holds control characters, which an impersonation header cannot carry");
        assertNothingReachedTheApiserver();
    }

    @Test
    void aUserWithoutRightsGetsTheApiserversForbiddenUnchanged() throws Exception {
        chain.useToken(chain.issuer.token("bob"));
        var result = chain.kubectl().run("get", "pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("pods is forbidden: User \"bob\" cannot list resource \"pods\"");
    }

    @Test
    void aTokenThatIsNotFromATrustedIssuerIsUnauthorized() throws Exception {
        clearRecords();
        chain.useToken("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.");
        var result = chain.kubectl().run("get", "pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("You must be logged in to the server");
        assertNothingReachedTheApiserver();
    }

    @Test
    void aReservedSystemIdentityIsRefused() throws Exception {
        clearRecords();
        chain.useToken(chain.issuer.token("system:admin", "system:masters"));
        var result = chain.kubectl().run("get", "pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("Forbidden");
        assertNothingReachedTheApiserver();
    }

    static Stream<String> smuggledHeaders() {
        return Stream.of(
                "Impersonate-User: system:admin",
                "impersonate-user: system:admin",
                "IMPERSONATE-USER: system:admin",
                "Impersonate-Group: system:masters",
                "impersonate-group: system:masters",
                "Impersonate-Uid: 0",
                "impersonate-uid: 0",
                "Impersonate-Extra-Scopes: all",
                "impersonate-extra-foo%2Fbar: x",
                "Impersonate-Extra-: x",
                "Impersonate-Serviceaccount: kube-system/default");
    }

    @ParameterizedTest
    @MethodSource("smuggledHeaders")
    void aClientImpersonationHeaderInAnyCaseIsRefusedAndNeverReachesTheApiserver(String header) throws Exception {
        clearRecords();
        String response = proxy.exchange(get(header));
        assertThat(response)
                .startsWith("HTTP/1.1 403")
                .contains("\"kind\":\"Status\"")
                .contains("impersonation headers are not accepted");
        assertNothingReachedTheApiserver();
    }

    @Test
    void aConnectionHeaderCannotStripTheAgentsImpersonation() throws Exception {
        clearRecords();
        String response =
                proxy.exchange(get("Connection: keep-alive, Impersonate-User, Impersonate-Group, Impersonate-Uid"));
        // on a real cluster 200 says it too: the agent's own identity may impersonate, not list pods
        assertThat(response).startsWith("HTTP/1.1 200");
        if (chain.hasSandbox()) {
            RecordedRequest request = received("/pods");
            assertThat(request.headers("Impersonate-User")).containsExactly("alice");
            assertThat(request.headers("Impersonate-Group")).containsExactly("dev", "ops");
        }
    }

    @Test
    void conflictingBodyFramingIsRefusedAtTheFirstHop() throws Exception {
        clearRecords();
        String response = proxy.exchange("POST /clusters/" + chain.clusterId + "/api/v1/namespaces/" + chain.namespace()
                + "/configmaps HTTP/1.1\r\nHost: x\r\n" + "Authorization: Bearer " + localToken()
                + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400");
        assertNothingReachedTheApiserver();
    }

    @Test
    void identityHeadersFromTheClientNeverReachTheApiserverUnderAnyName() throws Exception {
        assumeTrue(
                chain.hasSandbox(),
                "reads the headers the sandbox apiserver received, which a real cluster does not show");
        clearRecords();
        proxy.exchange(get("X-Remote-User: system:admin\r\nX-Remote-Group: system:masters\r\nX-Forwarded-User: root"));
        RecordedRequest request = received("/pods");
        for (String name : List.of("X-Remote-User", "X-Remote-Group", "X-Forwarded-User")) {
            assertThat(request.headers(name)).as(name).isEmpty();
        }
    }

    @Test
    void aSecondAuthorizationHeaderIsRefusedByTheAgent() throws Exception {
        // Straight at the relay (the proxy replaces Authorization): the agent must refuse it.
        int relayPort = Chain.boundPort(chain.relay, "relay-clients");
        RawHttps relay = new RawHttps(java.nio.file.Files.readString(chain.dir.resolve("relay-ca.crt")), relayPort);
        String token = chain.issuer.token("alice", "dev");
        clearRecords();
        String response = relay.exchange("GET /clusters/" + chain.clusterId + "/api/v1/namespaces/" + chain.namespace()
                + "/pods HTTP/1.1\r\nHost: x\r\n" + "Authorization: Bearer " + token + "\r\nAuthorization: Bearer "
                + chain.issuer.token("mallory") + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains("one Authorization header");
        assertNothingReachedTheApiserver();
    }

    private static String get(String extraHeaders) {
        return "GET /clusters/" + chain.clusterId + "/api/v1/namespaces/" + chain.namespace()
                + "/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + localToken() + "\r\n" + extraHeaders
                + "\r\n\r\n";
    }

    private static String localToken() {
        return chain.proxy.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class);
    }
}
