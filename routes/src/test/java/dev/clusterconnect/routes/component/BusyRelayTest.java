package dev.clusterconnect.routes.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.component.kubeclient.CapturedLog;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relay too busy for another handshake answers 429 with Retry-After; the agent takes it as a
 * reason to dial again, not to give up, and waits at least what the relay asked.
 */
class BusyRelayTest {

    private static final Pattern RETRY = Pattern.compile("HTTP 429 .*retrying in (\\d+) ms");

    private CamelContext relay;
    private CamelContext agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.stop();
        }
        relay.stop();
    }

    @Test
    void anAgentRefusedWithTooManyRequestsDialsAgainAfterTheRetryAfterAtLeast() throws Exception {
        AtomicInteger handshakes = new AtomicInteger();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        relay = new DefaultCamelContext();
        relay.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:" + port + "/agent/v1/connect")
                        .routeId("busy")
                        .process(exchange -> {
                            handshakes.incrementAndGet();
                            throw KubeStatusException.tooManyRequests("busy", 2);
                        });
            }
        });
        relay.start();

        try (CapturedLog log = new CapturedLog("dev.clusterconnect.routes.component.tunnel.RelayConnection")) {
            agent = new DefaultCamelContext();
            agent.getRegistry().bind("creds", (java.util.function.Supplier<Map<String, String>>) Map::of);
            agent.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tunnel:relay?url=ws://127.0.0.1:" + port
                                    + "/agent/v1/connect&clusterId=c1&credentials=#creds")
                            .routeId("agent")
                            .log("unused");
                }
            });
            agent.start();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.lines().stream()
                            .anyMatch(line -> RETRY.matcher(line).find()));
            Matcher retry = log.lines().stream()
                    .map(RETRY::matcher)
                    .filter(Matcher::find)
                    .findFirst()
                    .orElseThrow();
            // The first backoff alone is at most half a second: more than 2 s is the relay's ask.
            assertThat(Long.parseLong(retry.group(1))).isGreaterThanOrEqualTo(2000);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> handshakes.get() >= 2);
    }
}
