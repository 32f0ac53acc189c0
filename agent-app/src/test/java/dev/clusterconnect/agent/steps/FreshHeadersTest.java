package dev.clusterconnect.agent.steps;

import static dev.clusterconnect.agent.steps.Calls.call;
import static dev.clusterconnect.agent.steps.Calls.exchange;
import static dev.clusterconnect.agent.steps.Calls.headers;
import static dev.clusterconnect.agent.steps.Calls.lines;
import static dev.clusterconnect.agent.steps.Calls.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Step 3: the apiserver sees only the allow-listed headers of the client's request, whatever their case. */
class FreshHeadersTest {

    private final FreshHeaders step = new FreshHeaders();

    static Stream<String> allowListed() {
        return FreshHeaders.FORWARDED.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("allowListed")
    void anAllowListedHeaderSurvivesInAnyCase(String name) {
        for (String spelling : List.of(name, name.toUpperCase(Locale.ROOT), mixedCase(name))) {
            Exchange exchange = exchange(spelling, "value-of-" + name);

            step.process(exchange);

            // Upgrade without Connection: upgrade is no upgrade, and dropped (see the upgrade tests below).
            List<String> expected = name.equals("upgrade") ? List.of() : List.of(spelling + ": value-of-" + name);
            assertEquals(expected, lines(headers(exchange)));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Authorization",
                "AUTHORIZATION",
                "Proxy-Authorization",
                "Cookie",
                "cOoKiE",
                "X-Forwarded-For",
                "X-Forwarded-Host",
                "x-forwarded-proto",
                "X-Forwarded-Client-Cert",
                "Forwarded",
                "X-Real-Ip",
                "Impersonate-User",
                "iMpErSoNaTe-uSeR",
                "Impersonate-Group",
                "Impersonate-Uid",
                "Impersonate-Extra-scopes",
                "X-Remote-User",
                "X-Remote-Group",
                "X-Remote-Extra-scopes",
                "Connection",
                "Keep-Alive",
                "Proxy-Connection",
                "TE",
                "Trailer",
                "Host",
                "Origin",
                "X-Clusterconnect-Cluster",
                "X-Impersonate-User"
            })
    void aHeaderOffTheListNeverPasses(String name) {
        Exchange exchange = exchange("Accept", "application/json", name, "secret-or-identity", "User-Agent", "kubectl");

        step.process(exchange);

        assertEquals(List.of("Accept: application/json", "User-Agent: kubectl"), lines(headers(exchange)));
    }

    @Test
    void aConnectionHeaderNamingOurOwnHeadersIsNeverCopied() {
        // A next hop would strip the headers Connection names as hop-by-hop: Impersonate-User and
        // Authorization, the very headers the next step adds.
        Exchange exchange = exchange(
                "Connection", "Impersonate-User, Impersonate-Group, Authorization", "Accept", "application/json");

        step.process(exchange);

        assertEquals(List.of("Accept: application/json"), lines(headers(exchange)));
    }

    @Test
    void theConnectionTrickRidingOnAnUpgradeLeavesOnlyConnectionUpgrade() {
        Exchange exchange = request(
                "POST",
                "/api/v1/namespaces/default/pods/web/exec?command=sh&stdin=true",
                "Connection",
                "Upgrade, Impersonate-User",
                "Upgrade",
                "SPDY/3.1",
                "X-Stream-Protocol-Version",
                "v4.channel.k8s.io");

        step.process(exchange);

        HttpHeaders fresh = headers(exchange);
        assertEquals(List.of("Upgrade"), fresh.getAll("Connection"));
        assertEquals("SPDY/3.1", fresh.get("Upgrade"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "WebSocket", "SPDY/3.1", "spdy/3.1"})
    void anExecUpgradeKeepsUpgradeAndGetsConnectionUpgrade(String protocol) {
        Exchange exchange = request(
                "GET",
                "/api/v1/namespaces/default/pods/web/exec?command=sh",
                "connection",
                "keep-alive, upgrade",
                "UPGRADE",
                protocol,
                "Sec-WebSocket-Key",
                "dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version",
                "13",
                "Sec-WebSocket-Protocol",
                "v5.channel.k8s.io");

        step.process(exchange);

        HttpHeaders fresh = headers(exchange);
        assertEquals(protocol, fresh.get("Upgrade"));
        assertEquals(List.of("Upgrade"), fresh.getAll("Connection"), "one Connection header, nothing else in it");
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", fresh.get("Sec-WebSocket-Key"));
        assertEquals("v5.channel.k8s.io", fresh.get("Sec-WebSocket-Protocol"));
        assertTrue(call(exchange).head().isUpgrade());
    }

    @Test
    void anUpgradeTheChainDoesNotCarryIsDroppedAndServedAsHttp11() {
        Exchange exchange =
                exchange("Connection", "Upgrade, HTTP2-Settings", "Upgrade", "h2c", "HTTP2-Settings", "AAMAAABkAAQ");

        step.process(exchange);

        assertEquals(List.of(), lines(headers(exchange)));
    }

    @Test
    void anUpgradeHeaderWithoutConnectionUpgradeIsDropped() {
        Exchange exchange = exchange("Upgrade", "websocket", "Accept", "*/*");

        step.process(exchange);

        assertNull(headers(exchange).get("Upgrade"));
        assertNull(headers(exchange).get("Connection"));
        assertEquals(List.of("Accept: */*"), lines(headers(exchange)));
    }

    @Test
    void repeatedHeadersStayRepeatedInOrder() {
        // kubectl exec offers every stream protocol version it speaks, one header each.
        Exchange exchange = exchange(
                "X-Stream-Protocol-Version",
                "v4.channel.k8s.io",
                "Cookie",
                "session=1",
                "X-Stream-Protocol-Version",
                "v3.channel.k8s.io",
                "x-stream-protocol-version",
                "v2.channel.k8s.io");

        step.process(exchange);

        assertEquals(
                List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io"),
                headers(exchange).getAll("X-Stream-Protocol-Version"));
        assertFalse(headers(exchange).contains("Cookie"));
    }

    @Test
    void methodTargetAndBodyFramingAreKept() {
        Exchange exchange = request(
                "PATCH",
                "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl",
                "Content-Type",
                "application/strategic-merge-patch+json",
                "Content-Length",
                "42",
                "Authorization",
                "Bearer t");
        HttpHeaders original = headers(exchange);

        step.process(exchange);

        assertEquals("PATCH", call(exchange).head().method());
        assertEquals(
                "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl",
                call(exchange).head().target());
        assertEquals(
                List.of("Content-Type: application/strategic-merge-patch+json", "Content-Length: 42"),
                lines(headers(exchange)));
        assertTrue(original != headers(exchange), "a new header map, not the client's one edited");
    }

    private static String mixedCase(String name) {
        StringBuilder mixed = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            mixed.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return mixed.toString();
    }
}
