package dev.clusterconnect.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's own calls to its apiserver, as itself (no impersonation): reading {@code /version}
 * and keeping its key in a Secret. Plain request/response, so the JDK client is enough.
 */
public final class ApiserverClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApiserverAccess access;
    private final HttpClient http;

    public ApiserverClient(ApiserverAccess access) {
        this.access = access;
        this.http = HttpClient.newBuilder()
                .sslContext(access.jdkTls())
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** A response: status and body. */
    public record Response(int status, String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    public Response get(String path) throws IOException {
        return send(request(path).GET());
    }

    public Response post(String path, String json) throws IOException {
        return send(request(path)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    public Response put(String path, String json) throws IOException {
        return send(request(path)
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    /** A JSON merge patch: changes only the fields given, leaving labels and annotations of others alone. */
    public Response mergePatch(String path, String json) throws IOException {
        return send(request(path)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/merge-patch+json"));
    }

    /** The apiserver's {@code gitVersion}, if it answers. */
    public Optional<String> kubernetesVersion() {
        try {
            Response response = get("/version");
            if (!response.ok()) {
                return Optional.empty();
            }
            return Optional.ofNullable(
                    JSON.readTree(response.body()).path("gitVersion").textValue());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the apiserver answers {@code /version} with 2xx, without waiting for it: for the readiness probe. */
    public java.util.concurrent.CompletableFuture<Boolean> answersVersion() {
        return http.sendAsync(request("/version").GET().build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() / 100 == 2);
    }

    private HttpRequest.Builder request(String path) {
        String base = access.url().toString().replaceAll("/+$", "");
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + access.token().get())
                .header("Accept", "application/json");
    }

    private Response send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
