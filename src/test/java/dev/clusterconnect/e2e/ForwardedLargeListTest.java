package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.relay.store.RelayDatabase;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 100 MiB LIST through a forwarded hop (two relay processes of 256 MiB heap each, the request
 * entering the replica that does not hold the tunnel), read by a client that stops for a while:
 * the list streams through in bounded memory, and during the stall another request to the same
 * cluster, over the same peer link and tunnel, is answered.
 */
class ForwardedLargeListTest {

    private static final long LIST_BYTES = 100L * 1024 * 1024;

    private static RelayReplicas scene;
    private static HttpClient client;
    private static String entry;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        scene = RelayReplicas.start(2, 1, true, sandbox -> sandbox.bulkConfigMaps("bulk", LIST_BYTES));
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(LargeListInBoundedMemoryTest.trusting(Files.readString(scene.dir.resolve("relay-ca.crt"))))
                .build();
        String cluster = scene.clusterIds.get(0);
        try (RelayDatabase store = RelayDatabase.open(scene.database.url(), PostgresDatabase.USER, null)) {
            String holder = store.presence().liveHolders(cluster).get(0);
            int other = holder.equals(RelayReplicas.instanceId(0)) ? 1 : 0;
            entry = "https://127.0.0.1:" + scene.listenPort(other) + "/clusters/" + cluster;
        }
        token = scene.issuer.token(Chain.OWNER);
    }

    @AfterAll
    static void stop() throws Exception {
        if (scene != null) {
            scene.close();
        }
    }

    @Test
    void aLargeListStreamsThroughAForwardedHopAndAStalledReaderHoldsBackOnlyItsOwnStream() throws Exception {
        HttpResponse<InputStream> response =
                client.send(get("/api/v1/namespaces/bulk/configmaps"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        long stalled = 0;
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = response.body()) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
                if (stalled == 0 && total > 16 * 1024 * 1024) {
                    long stallStart = System.nanoTime();
                    // While this reader stops, the same cluster still answers over the same link.
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> client.send(
                                                    get("/api/v1/namespaces/default"),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200);
                    Thread.sleep(2000); // the stall itself: every hop must stop pulling, not buffer
                    stalled = System.nanoTime() - stallStart;
                }
            }
        }
        assertThat(total).isGreaterThan(LIST_BYTES);
        double seconds = (System.nanoTime() - started - stalled) / 1e9;
        System.out.printf(
                "LIST of %d MiB through a forwarded hop in %.1f s (%.0f MiB/s), stall excluded%n",
                total / (1024 * 1024), seconds, total / (1024 * 1024) / seconds);
        for (ProcessHandle relay : scene.processes()) {
            assertThat(relay.isAlive())
                    .as("relay " + relay.pid() + " survived a list larger than its heap")
                    .isTrue();
        }
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(entry + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(5))
                .build();
    }
}
