package dev.clusterconnect.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import dev.clusterconnect.routes.tls.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.main.Main;

/**
 * A real relay (Camel Main) on a free port with its own certificate, trusting a {@link TestIssuer},
 * and an HTTPS client for it. The database and audit file live in {@code dir} unless overridden.
 */
final class TestRelay implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Main main;
    final int port;
    private final HttpClient client;

    private TestRelay(Path dir, Main main, int port, HttpClient client) {
        this.dir = dir;
        this.main = main;
        this.port = port;
        this.client = client;
    }

    /** Starts a relay; {@code overrides} replace the defaults (relay.db.*, ...). */
    static TestRelay start(Path dir, TestIssuer issuer, Map<String, String> overrides) throws Exception {
        if (!Files.exists(dir.resolve("relay.crt"))) {
            CertificateAuthority ca = CertificateAuthority.create("relay test CA", Duration.ofDays(1));
            ca.issueServer("relay", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                    .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
            Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("relay.listen.host", "127.0.0.1");
        properties.put("relay.health.port", "0");
        // One free port for all the relay's routes (port 0 would give each route a server of its own).
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            properties.put("relay.listen.port", String.valueOf(probe.getLocalPort()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        properties.put("relay.tls.cert-file", dir.resolve("relay.crt").toString());
        properties.put("relay.tls.key-file", dir.resolve("relay.key").toString());
        properties.put("relay.tls.ca-file", dir.resolve("ca.crt").toString());
        properties.put("relay.public-url", "https://relay.example.com");
        properties.put("relay.db.dir", dir.resolve("db").toString());
        properties.put("relay.audit.file", dir.resolve("audit.log").toString());
        properties.putAll(issuer.relayProperties());
        properties.putAll(overrides);
        Main main = RelayApplication.create();
        properties.forEach(main::addOverrideProperty);
        main.start();
        int port = ((KubeServerEndpoint)
                        main.getCamelContext().getRoute("relay-clients").getEndpoint())
                .boundPort();
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trusting(Files.readString(dir.resolve("ca.crt"))))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return new TestRelay(dir, main, port, client);
    }

    /** An answer: status, body, and the body as JSON when it is JSON. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Answer send(String method, String path, String token, String jsonBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    Answer get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    Answer post(String path, String token, String jsonBody) throws Exception {
        return send("POST", path, token, jsonBody);
    }

    Answer delete(String path, String token) throws Exception {
        return send("DELETE", path, token, null);
    }

    /** Registers a cluster through the API as the owner whose token is given; returns its id. */
    String createCluster(String ownerToken, String name) throws Exception {
        Answer created = post("/api/v1/clusters", ownerToken, "{\"name\":\"" + name + "\"}");
        if (created.status() != 201) {
            throw new AssertionError("cluster not created: " + created);
        }
        return created.json().get("id").asText();
    }

    @Override
    public void close() {
        main.stop();
    }

    private static SSLContext trusting(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (X509Certificate certificate : PemFiles.parseCertificates(caPem)) {
            trust.setCertificateEntry("ca" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
