package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.relay.store.Grant;
import dev.clusterconnect.relay.store.RelayDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The chaos scene's store, seen two ways: through the relay's REST API as the owner (what a
 * running relay serves after a fault) and, once the relay stopped, in its embedded database file
 * (what a kill left on disk). The rows to find: the cluster, bob's grant from the start, and
 * chaos-1..n, each committed by the relay just before a kill.
 */
final class ChaosStore {

    private final Path dir;
    private final String cluster;
    private final int relayPort;
    private final HttpClient client;

    ChaosStore(Path dir, String cluster, int relayPort, String relayCaPem) throws Exception {
        this.dir = dir;
        this.cluster = cluster;
        this.relayPort = relayPort;
        this.client = HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(relayCaPem))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** The owner grants {@code user} access: a row the relay committed once this returns. */
    void grant(String user) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/api/v1/clusters/" + cluster + "/grants")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"USER\",\"subject\":\"" + user + "\"}")));
        if (response.statusCode() != 201) {
            throw new AssertionError("grant " + user + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Whether the relay says the cluster's agent is connected; null when the relay does not answer. */
    Boolean relaySaysConnected() throws InterruptedException {
        try {
            HttpResponse<String> response = send(request("/api/v1/clusters/" + cluster));
            return response.statusCode() == 200 ? response.body().contains("\"connected\":true") : null;
        } catch (IOException unreachable) {
            return null;
        }
    }

    /** The running relay still lists the cluster and every grant. */
    void assertRelayServes(int grants) throws IOException, InterruptedException {
        assertThat(send(request("/api/v1/clusters")).body()).contains(cluster);
        String listed = send(request("/api/v1/clusters/" + cluster + "/grants")).body();
        assertThat(listed).contains("\"bob\"");
        for (int i = 1; i <= grants; i++) {
            assertThat(listed).as("grants at the relay").contains("\"chaos-" + i + "\"");
        }
    }

    /** After the relay stopped: its database file still holds the cluster and every grant. */
    void assertFileHolds(int grants) {
        try (RelayDatabase database = RelayDatabase.openEmbedded(dir.resolve("relay-db"))) {
            assertThat(database.clusters().listOwnedBy(Chain.OWNER)).anyMatch(c -> c.id().equals(cluster));
            List<String> subjects =
                    database.grants().list(cluster).stream().map(Grant::subject).toList();
            assertThat(subjects).contains("bob");
            for (int i = 1; i <= grants; i++) {
                assertThat(subjects).as("grants in the file").contains("chaos-" + i);
            }
        }
    }

    private HttpRequest.Builder request(String path) throws IOException {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + relayPort + path))
                .header(
                        "Authorization",
                        "Bearer " + Files.readString(dir.resolve("user.token")).trim())
                .timeout(Duration.ofSeconds(5));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
