package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.health.CachedProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Whether the relay answers at all (any HTTP status counts: it is there and speaks TLS with a
 * certificate we trust), asked at most every few seconds however often something probes, and
 * never waited for: the probe is answered on an event loop ({@link CachedProbe}).
 */
final class RelayProbe {

    private final HttpClient client;
    private final URI relay;
    private final CachedProbe probe = new CachedProbe(this::ask, Duration.ofSeconds(5));

    RelayProbe(URI relay, SSLContext tls) {
        this.relay = relay;
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    boolean answers() {
        return probe.answers();
    }

    /**
     * The clusters {@code token}'s user may reach, id to name ({@code GET /api/v1/clusters}), for
     * the kubeconfig's context names; empty when the relay does not say within 10 s.
     */
    java.util.Map<String, String> clusterNames(String token) {
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(relay.resolve("/api/v1/clusters"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token)
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                for (com.fasterxml.jackson.databind.JsonNode cluster : new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(response.body())
                        .path("items")) {
                    names.put(cluster.path("id").asText(), cluster.path("name").asText(""));
                }
            }
        } catch (java.io.IOException e) {
            // the context keeps the cluster's id
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return names;
    }

    private CompletableFuture<Boolean> ask() {
        return client.sendAsync(
                        HttpRequest.newBuilder(relay.resolve("/healthz"))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> true);
    }
}
