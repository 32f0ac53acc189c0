package dev.clusterconnect.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.proxy.token.TokenException;
import dev.clusterconnect.routes.tls.JdkTls;
import dev.clusterconnect.routes.tls.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The relay's REST API (docs/relay-api.md) as the CLI uses it. Errors become one clear line. */
final class RelayApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient client;
    private final String token;

    RelayApi(RelayOptions relay, TokenOptions tokens) {
        this.base = relay.relayUri();
        String caPem = relay.caPem();
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15));
        if (caPem != null) {
            builder.sslContext(JdkTls.trusting(PemFiles.parseCertificates(caPem)));
        }
        this.client = builder.build();
        try {
            this.token = tokens.source().token().value();
        } catch (TokenException e) {
            throw new CliException(ExitCode.AUTH, "no token: " + e.getMessage());
        }
    }

    /**
     * Every cluster the caller may reach, id to name ({@code GET /api/v1/clusters}); empty when the
     * relay does not answer that, so that names fall back to ids rather than stop the command.
     */
    java.util.Map<String, String> clusterNames() {
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        try {
            JsonNode clusters = get("/api/v1/clusters");
            for (JsonNode cluster : clusters.isArray() ? clusters : clusters.path("items")) {
                names.put(cluster.path("id").asText(), cluster.path("name").asText(""));
            }
        } catch (CliException e) {
            System.err.println("clusterconnect: contexts are named after cluster ids: " + e.getMessage());
        }
        return names;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 300) {
                String message = json.path("message").asText("HTTP " + response.statusCode());
                int exit =
                        response.statusCode() == 401 || response.statusCode() == 403 ? ExitCode.AUTH : ExitCode.FAILED;
                throw new CliException(exit, "the relay refused: " + message);
            }
            return json;
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot reach the relay at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }
}
