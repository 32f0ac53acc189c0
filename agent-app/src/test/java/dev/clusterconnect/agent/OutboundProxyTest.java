package dev.clusterconnect.agent;

import static dev.clusterconnect.agent.ApiserverAccessTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The corporate proxy on the agent's way out: which hosts go through it, and who gets its credentials. */
class OutboundProxyTest {

    @Test
    void aProxyWithoutSchemeIsHttpAndNoProxyEntriesAreTrimmedAndLowerCased() {
        OutboundProxy outbound = OutboundProxy.from(settings(
                Map.of("agent.https-proxy", "proxy.corp:8080", "agent.no-proxy", " Example.COM , .Internal,, ")));

        assertEquals(Optional.of(URI.create("http://proxy.corp:8080")), outbound.proxy());
        assertEquals(List.of("example.com", ".internal"), outbound.noProxy());
    }

    @Test
    void withoutAProxyTheClientConnectsDirectly() {
        HttpClient client = OutboundProxy.from(settings(Map.of()))
                .apply(HttpClient.newBuilder())
                .build();

        assertTrue(client.proxy().isEmpty());
        assertTrue(client.authenticator().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
        "relay.clusterconnect.example, true",
        "example.com, false",
        "EXAMPLE.com, false",
        "api.example.com, false",
        "evilexample.com, true",
        "example.com.evil.net, true",
        "relay.internal, false",
        "internal, true",
        "localhost, false"
    })
    void hostsOnTheNoProxyListAndTheirSubdomainsBypassTheProxy(String host, boolean proxied) {
        HttpClient client = client("http://proxy.corp:8080", "example.com,.internal,localhost");

        List<Proxy> route = client.proxy().orElseThrow().select(URI.create("https://" + host + "/api/v1/agents"));

        assertEquals(
                proxied
                        ? List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("proxy.corp", 8080)))
                        : List.of(Proxy.NO_PROXY),
                route);
    }

    @Test
    void aStarBypassesTheProxyForEveryHostAndAProxyWithoutPortUses3128() {
        assertEquals(
                List.of(Proxy.NO_PROXY),
                client("http://proxy.corp", "*").proxy().orElseThrow().select(URI.create("https://relay.example")));
        assertEquals(
                List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("proxy.corp", 3128))),
                client("http://proxy.corp", "").proxy().orElseThrow().select(URI.create("https://relay.example")));
    }

    @Test
    void theProxysCredentialsAreDecodedAndGoToTheProxyOnlyNeverToTheRelay() {
        Authenticator authenticator = client("http://ops%40corp:p%3Ass%20w@proxy.corp:8080", "")
                .authenticator()
                .orElseThrow();

        PasswordAuthentication proxy = ask(authenticator, Authenticator.RequestorType.PROXY);
        assertEquals("ops@corp", proxy.getUserName());
        assertEquals("p:ss w", new String(proxy.getPassword()));
        assertNull(ask(authenticator, Authenticator.RequestorType.SERVER), "the relay never gets the proxy's password");
    }

    @Test
    void aProxyUrlWithoutAPasswordSetsNoAuthenticator() {
        assertTrue(client("http://ops@proxy.corp:8080", "").authenticator().isEmpty());
    }

    private static HttpClient client(String proxy, String noProxy) {
        return OutboundProxy.from(settings(Map.of("agent.https-proxy", proxy, "agent.no-proxy", noProxy)))
                .apply(HttpClient.newBuilder())
                .build();
    }

    private static PasswordAuthentication ask(Authenticator authenticator, Authenticator.RequestorType type) {
        return authenticator.requestPasswordAuthenticationInstance(
                "proxy.corp", null, 8080, "https", "proxy", "Basic", null, type);
    }
}
