package dev.clusterconnect.sandbox.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.sandbox.RecordedRequest;
import dev.clusterconnect.sandbox.SandboxApiServer;
import dev.clusterconnect.sandbox.auth.Identity;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, impersonation, authorization and the record of what arrived. */
class AuthAndRecordingTest {

    @TempDir
    static Path dir;

    private static SandboxApiServer server;
    private static Kubectl agent;

    @BeforeAll
    static void start() {
        server = SandboxFixture.builder().build().start();
        agent = SandboxFixture.agent(server, dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forget() {
        server.clearRecords();
    }

    @Test
    void whoamiShowsTheImpersonatedIdentity() {
        String out = agent.run("--as=alice", "--as-group=dev", "--as-group=ops", "auth", "whoami")
                .ok()
                .stdout();
        assertTrue(out.contains("alice") && out.contains("[dev ops system:authenticated]"), out);
        RecordedRequest review =
                server.awaitRequest(r -> r.path().endsWith("/selfsubjectreviews"), Duration.ofSeconds(5));
        assertEquals(List.of("alice"), review.headers("Impersonate-User"));
        assertEquals(List.of("dev", "ops"), review.headers("Impersonate-Group"));
        assertEquals(Identity.of("alice", "dev", "ops"), review.identity());
    }

    @Test
    void nonAsciiNamesFromKubectlAreReadAsTheUtf8TheyWereSentIn() {
        // client-go writes --as values as UTF-8 bytes: the form our agent must send too
        String out = agent.run("--as=alíce", "--as-group=山田", "--as-uid=ü-1", "auth", "whoami", "-o", "json")
                .ok()
                .stdout();
        assertTrue(
                out.contains("\"username\": \"alíce\"") && out.contains("\"山田\"") && out.contains("\"uid\": \"ü-1\""),
                out);
        RecordedRequest review =
                server.awaitRequest(r -> r.path().endsWith("/selfsubjectreviews"), Duration.ofSeconds(5));
        assertEquals(List.of("alíce"), review.headers("Impersonate-User"));
        assertEquals(List.of("山田"), review.headers("Impersonate-Group"));
        assertEquals(new Identity("alíce", "ü-1", List.of("山田", Identity.AUTHENTICATED), Map.of()), review.identity());
    }

    @Test
    void whoamiWithoutImpersonationShowsTheTokensUser() {
        String out = Kubectl.forServer(server, SandboxFixture.ALICE_TOKEN, dir)
                .run("auth", "whoami")
                .ok()
                .stdout();
        assertTrue(out.contains("alice") && out.contains("[dev system:authenticated]"), out);
    }

    @Test
    void recordsEveryHeaderAsSentWithUidAndDecodedExtras() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(server.url() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                .header("Authorization", "Bearer " + SandboxFixture.AGENT_TOKEN)
                .header("Impersonate-User", "carol")
                .header("impersonate-group", "a")
                .header("Impersonate-Group", "b")
                .header("Impersonate-Uid", "uid-7")
                .header("Impersonate-Extra-Acme.com%2Fproject", "p1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"))
                .build();
        HttpResponse<String> response =
                HttpClients.forServer(server).send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode());
        assertTrue(response.body().contains("\"extra\":{\"acme.com/project\":[\"p1\"]}"), response.body());
        assertTrue(response.body().contains("\"uid\":\"uid-7\""), response.body());
        RecordedRequest recorded = server.requests().get(0);
        assertEquals(
                new Identity(
                        "carol",
                        "uid-7",
                        List.of("a", "b", Identity.AUTHENTICATED),
                        Map.of("acme.com/project", List.of("p1"))),
                recorded.identity());
    }

    @Test
    void aUserWhoMayNotImpersonateIsRefused() throws Exception {
        Kubectl.Result result =
                Kubectl.forServer(server, SandboxFixture.ALICE_TOKEN, dir).run("--as=root", "get", "pods");
        // kubectl's discovery client reports this 403 as "Forbidden: unknown", as it does with a real apiserver
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("(Forbidden)"), result.stderr());
        HttpResponse<String> response = HttpClients.forServer(server)
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/default/pods"))
                                .header("Authorization", "Bearer " + SandboxFixture.ALICE_TOKEN)
                                .header("Impersonate-User", "root")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode());
        assertTrue(
                response.body()
                        .contains("users \\\"root\\\" is forbidden: User \\\"alice\\\" cannot impersonate resource "
                                + "\\\"users\\\" in API group \\\"\\\" at the cluster scope"),
                response.body());
    }

    @Test
    void aDeniedUserGetsTheApiserversForbiddenStatus() throws Exception {
        HttpResponse<String> response = HttpClients.forServer(server)
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/default/pods"))
                                .header("Authorization", "Bearer " + SandboxFixture.BOB_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode());
        assertEquals(
                "application/json",
                response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"pods is forbidden: User \\\"bob\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the "
                        + "namespace \\\"default\\\"\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"pods\"},\"code\":403}",
                response.body());
        Kubectl.Result viaKubectl =
                Kubectl.forServer(server, SandboxFixture.BOB_TOKEN, dir).run("get", "pods");
        assertTrue(
                viaKubectl.stderr().contains("pods is forbidden: User \"bob\" cannot list resource \"pods\""),
                viaKubectl.stderr());
    }

    @Test
    void anUnknownTokenIsUnauthorizedAndStillRecorded() throws Exception {
        HttpResponse<String> response = HttpClients.forServer(server)
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/pods"))
                                .header("Authorization", "Bearer wrong")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("\"reason\":\"Unauthorized\""), response.body());
        RecordedRequest recorded = server.awaitRequest(r -> r.path().equals("/api/v1/pods"), Duration.ofSeconds(5));
        assertNull(recorded.identity());
        assertEquals(List.of("Bearer wrong"), recorded.headers("authorization"));
    }

    @Test
    void canIAnswersWithTheAuthorizationRules() {
        assertEquals(
                "yes",
                agent.run("auth", "can-i", "create", "pods").ok().stdout().trim());
        Kubectl.Result bob = agent.run("--as=bob", "auth", "can-i", "list", "pods");
        assertEquals(1, bob.exitCode());
        assertEquals("no", bob.stdout().trim());
    }

    @Test
    void waitingForARequestThatNeverComesFails() {
        assertThrows(
                IllegalStateException.class,
                () -> server.awaitRequest(r -> r.path().equals("/never"), Duration.ofMillis(100)));
    }
}
