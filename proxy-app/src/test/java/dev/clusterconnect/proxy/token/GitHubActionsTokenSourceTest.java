package dev.clusterconnect.proxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local stand-in for the runner's token service, which answers like the real one. */
class GitHubActionsTokenSourceTest {

    private static final String REQUEST_TOKEN = "runner-request-token";
    private static final Instant EXP = Instant.parse("2030-01-01T00:00:00Z");

    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final String idToken = TestJwts.expiringAt(EXP);
    private HttpServer server;

    @BeforeEach
    void startTokenService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/_apis/idtoken", this::issue);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void requestsATokenForTheAudienceWithTheRunnerCredential() {
        Token token = source(REQUEST_TOKEN).token();

        assertEquals(idToken, token.value());
        assertEquals(EXP, token.expiresAt());
        assertEquals(List.of("api-version=2.0&audience=clusterconnect%3Aprod"), queries);
    }

    @Test
    void refusalIsReportedWithoutAnyCredential() {
        TokenException error =
                assertThrows(TokenException.class, () -> source("wrong").token());

        assertTrue(error.getMessage().contains("403"), error.getMessage());
        assertFalse(error.getMessage().contains("wrong"));
    }

    @Test
    void outsideGitHubActionsTheMissingPermissionIsExplained() {
        GitHubActionsTokenSource source = new GitHubActionsTokenSource("aud", Map.of(), HttpClient.newHttpClient());

        assertFalse(GitHubActionsTokenSource.isAvailable(Map.of()));
        assertTrue(
                assertThrows(TokenException.class, source::token).getMessage().contains("id-token: write"));
    }

    private GitHubActionsTokenSource source(String requestToken) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/_apis/idtoken?api-version=2.0";
        Map<String, String> env =
                Map.of(GitHubActionsTokenSource.REQUEST_URL, url, GitHubActionsTokenSource.REQUEST_TOKEN, requestToken);
        return new GitHubActionsTokenSource("clusterconnect:prod", env, HttpClient.newHttpClient());
    }

    private void issue(HttpExchange exchange) throws IOException {
        queries.add(exchange.getRequestURI().getRawQuery());
        boolean authorized =
                ("Bearer " + REQUEST_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
        byte[] body = (authorized ? "{\"count\":1,\"value\":\"" + idToken + "\"}" : "{\"message\":\"denied\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(authorized ? 200 : 403, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
