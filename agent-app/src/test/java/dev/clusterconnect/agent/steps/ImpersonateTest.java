package dev.clusterconnect.agent.steps;

import static dev.clusterconnect.agent.steps.Calls.exchange;
import static dev.clusterconnect.agent.steps.Calls.headers;
import static dev.clusterconnect.agent.steps.Calls.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.KubeIdentity;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** Step 4: the apiserver is called with the agent's own token, asked to act as the authenticated caller. */
class ImpersonateTest {

    private static final String ISSUER = "https://login.example.com/corp";

    private final Impersonate step = new Impersonate(() -> "agent-sa-token");

    @Test
    void theRequestCarriesTheAgentsTokenAndTheCallersIdentity() {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put("scopes", List.of("read", "write"));
        extra.put("acme.com/team", List.of("payments"));
        Exchange exchange =
                authenticated(new KubeIdentity("oidc:alice", List.of("oidc:dev", "oidc:ops"), "1234-abcd", extra));

        step.process(exchange);

        assertEquals(
                List.of(
                        "Accept: application/json",
                        "Authorization: Bearer agent-sa-token",
                        "Impersonate-User: oidc:alice",
                        "Impersonate-Group: oidc:dev",
                        "Impersonate-Group: oidc:ops",
                        "Impersonate-Uid: 1234-abcd",
                        "Impersonate-Extra-scopes: read",
                        "Impersonate-Extra-scopes: write",
                        "Impersonate-Extra-acme.com%2Fteam: payments"),
                lines(headers(exchange)));
    }

    @Test
    void anIdentityWithoutGroupsOrUidGetsNoSuchHeaders() {
        Exchange exchange = authenticated(KubeIdentity.ofUser("alice@example.com"));

        step.process(exchange);

        assertEquals(
                List.of(
                        "Accept: application/json",
                        "Authorization: Bearer agent-sa-token",
                        "Impersonate-User: alice@example.com"),
                lines(headers(exchange)));
    }

    @Test
    void nonAsciiValuesGoAsTheirUtf8BytesAndExtraKeysArePercentEncoded() {
        Exchange exchange = authenticated(
                new KubeIdentity("josé", List.of("équipe-ü"), "ид-1", Map.of("région/zone", List.of("Zürich"))));

        step.process(exchange);

        var headers = headers(exchange);
        assertEquals(utf8Bytes("josé"), headers.get("Impersonate-User"));
        assertEquals("jos\u00c3\u00a9", headers.get("Impersonate-User"), "é as its bytes C3 A9, one character each");
        assertEquals(utf8Bytes("équipe-ü"), headers.get("Impersonate-Group"));
        assertEquals(utf8Bytes("ид-1"), headers.get("Impersonate-Uid"));
        // client-go's headerKeyEscape: é is C3 A9, '/' is no token character.
        assertEquals(utf8Bytes("Zürich"), headers.get("Impersonate-Extra-r%C3%A9gion%2Fzone"));
        for (Map.Entry<String, String> header : headers) {
            assertFalse(header.getKey().chars().anyMatch(c -> c > 0x7e), "header names stay ASCII: " + header.getKey());
            assertFalse(
                    header.getValue().chars().anyMatch(c -> c > 0xff), "one byte per character: " + header.getValue());
        }
    }

    @Test
    void theClientsAuthorizationIsReplacedNotAddedTo() {
        Exchange exchange = exchange("Authorization", "Bearer caller-token");
        exchange.setProperty(
                Authenticate.RESULT, new Authentication.Authenticated(KubeIdentity.ofUser("alice"), ISSUER, "sub-1"));

        step.process(exchange);

        assertEquals(List.of("Bearer agent-sa-token"), headers(exchange).getAll("Authorization"));
    }

    @Test
    void theAgentsTokenIsReadForEveryRequestSoARotatedTokenIsUsed() {
        AtomicInteger generation = new AtomicInteger();
        Impersonate rotating = new Impersonate(() -> "agent-token-" + generation.incrementAndGet());
        Exchange first = authenticated(KubeIdentity.ofUser("alice"));
        Exchange second = authenticated(KubeIdentity.ofUser("alice"));

        rotating.process(first);
        rotating.process(second);

        assertEquals("Bearer agent-token-1", headers(first).get("Authorization"));
        assertEquals("Bearer agent-token-2", headers(second).get("Authorization"));
    }

    @Test
    void aPassedThroughServiceAccountTokenGoesAsItIsWithoutImpersonation() {
        Exchange exchange = exchange("Accept", "application/json");
        exchange.setProperty(Authenticate.RESULT, new Authentication.PassThrough());
        exchange.setProperty(Authenticate.PASS_THROUGH_TOKEN, "eyJhbGciOiJSUzI1NiJ9.service-account.sig");

        step.process(exchange);

        assertEquals(
                List.of("Accept: application/json", "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.service-account.sig"),
                lines(headers(exchange)));
    }

    @Test
    void withoutAnAuthenticatedCallerNothingIsSent() {
        Exchange unauthenticated = exchange("Accept", "application/json");
        Exchange refused = exchange("Accept", "application/json");
        refused.setProperty(
                Authenticate.RESULT,
                Authentication.Refused.of(
                        dev.clusterconnect.routes.identity.RefusalReason.EXPIRED, "token has expired"));

        assertThrows(IllegalStateException.class, () -> step.process(unauthenticated));
        assertThrows(IllegalStateException.class, () -> step.process(refused));

        assertEquals(List.of("Accept: application/json"), lines(headers(unauthenticated)));
        assertEquals(List.of("Accept: application/json"), lines(headers(refused)));
    }

    @Test
    void afterFreshHeadersNothingTheClientSentAboutWhoItIsSurvives() {
        Exchange exchange = exchange(
                "Accept",
                "application/json",
                "Authorization",
                "Bearer caller-token",
                "Cookie",
                "session=caller",
                "X-Forwarded-For",
                "10.0.0.1",
                "X-Remote-User",
                "admin",
                "Connection",
                "Impersonate-User",
                "impersonate-group",
                "system:masters",
                "Impersonate-Extra-scopes",
                "all",
                "Proxy-Authorization",
                "Basic YWRtaW46YWRtaW4=");
        exchange.setProperty(
                Authenticate.RESULT,
                new Authentication.Authenticated(
                        new KubeIdentity("oidc:alice", List.of("oidc:dev"), null, Map.of()), ISSUER, "s"));

        new FreshHeaders().process(exchange);
        step.process(exchange);

        assertEquals(
                List.of(
                        "Accept: application/json",
                        "Authorization: Bearer agent-sa-token",
                        "Impersonate-User: oidc:alice",
                        "Impersonate-Group: oidc:dev"),
                lines(headers(exchange)));
    }

    private static Exchange authenticated(KubeIdentity identity) {
        Exchange exchange = exchange("Accept", "application/json");
        exchange.setProperty(Authenticate.RESULT, new Authentication.Authenticated(identity, ISSUER, "subject-1"));
        return exchange;
    }

    private static String utf8Bytes(String value) {
        return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
