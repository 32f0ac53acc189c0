package dev.clusterconnect.agent.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The relay's agent API besides the tunnel: enrolment and key rotation, over HTTPS to the same
 * host and port as the tunnel's {@code wss://} URL, with the same trust.
 */
public final class RelayClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** The relay said no; {@link #status()} is its HTTP status, the message its Status message. */
    public static final class RefusedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        RefusedException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final URI base;
    private final HttpClient http;

    /** @param tunnelUrl the agent's {@code wss://host:port/...} tunnel URL */
    public RelayClient(URI tunnelUrl, SSLContext tls) {
        this(tunnelUrl, HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT));
    }

    /** @param client a client builder already set up (TLS trust, outbound proxy) */
    public RelayClient(URI tunnelUrl, HttpClient.Builder client) {
        this.base = httpsBase(tunnelUrl);
        this.http = client.connectTimeout(TIMEOUT).build();
    }

    /** {@code wss://relay:8443/agent/v1/connect} -> {@code https://relay:8443}. */
    static URI httpsBase(URI tunnelUrl) {
        String scheme = "ws".equalsIgnoreCase(tunnelUrl.getScheme()) ? "http" : "https";
        return URI.create(scheme + "://" + tunnelUrl.getRawAuthority());
    }

    /** Stores the public key for the cluster, consuming the one-time bootstrap token. */
    public void enroll(String clusterId, String bootstrapToken, ECKey key) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("clusterId", clusterId).put("bootstrapToken", bootstrapToken);
        body.set("publicKey", JSON.readTree(key.toPublicJWK().toJSONString()));
        send(HttpRequest.newBuilder(base.resolve("/agent/v1/enroll")), body);
    }

    /** Replaces the key that signed {@code currentKeyToken} with {@code next}. */
    public void rotate(String clusterId, String currentKeyToken, ECKey next) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.set("publicKey", JSON.readTree(next.toPublicJWK().toJSONString()));
        send(
                HttpRequest.newBuilder(base.resolve("/agent/v1/keys"))
                        .header("Authorization", "Bearer " + currentKeyToken)
                        .header("X-Clusterconnect-Cluster", clusterId),
                body);
    }

    private void send(HttpRequest.Builder request, ObjectNode body) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(
                    request.timeout(TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            String message;
            try {
                message = JSON.readTree(response.body()).path("message").asText("HTTP " + response.statusCode());
            } catch (IOException notJson) {
                message = "HTTP " + response.statusCode();
            }
            throw new RefusedException(response.statusCode(), message);
        }
    }
}
