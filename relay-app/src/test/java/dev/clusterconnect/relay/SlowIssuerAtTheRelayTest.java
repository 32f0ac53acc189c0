package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.identity.SlowIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted issuer slow to hand out its keys holds only the requests with its tokens: the relay
 * fetches them off its event loops (BlockHound fails this test if it blocks one) and answers other
 * callers meanwhile.
 */
class SlowIssuerAtTheRelayTest {

    @TempDir
    Path dir;

    @Test
    void callersOfOtherIssuersAreAnsweredWhileOneIssuersKeysAreOnTheirWay() throws Exception {
        try (TestIssuer issuer = new TestIssuer(dir);
                SlowIssuer slow = new SlowIssuer(dir)) {
            Map<String, String> properties = new HashMap<>();
            String prefix = "relay.oidc.issuers.slow.";
            properties.put(prefix + "url", slow.url());
            properties.put(prefix + "audience", TestIssuer.AUDIENCE);
            properties.put(prefix + "username-claim", "preferred_username");
            properties.put(prefix + "groups-claim", "groups");
            properties.put(prefix + "ca-file", slow.caFile().toString());
            // The relay fetches the keys at start-up; the issuer then rotates and is slow to publish the new key.
            slow.release();
            try (TestRelay relay = TestRelay.start(dir, issuer, properties)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> slow.jwksRequests() >= 1);
                slow.rotateAndHold();
                CompletableFuture<TestRelay.Answer> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return relay.get("/api/v1/clusters", slow.token("carol", TestIssuer.AUDIENCE));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });

                assertThat(relay.get("/api/v1/clusters", issuer.token("alice")).status())
                        .isEqualTo(200);
                assertThat(waiting).isNotDone();

                slow.release();
                assertThat(waiting.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
    }
}
