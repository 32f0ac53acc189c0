package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterconnect.routes.component.tunnel.PeerLinks;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.component.tunnel.TunnelProducer;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.stream.ByteSource;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import dev.clusterconnect.routes.tls.JdkTls;
import dev.clusterconnect.routes.tls.PemFiles;
import dev.clusterconnect.routes.tls.TlsContexts;
import dev.clusterconnect.routes.tunnel.ResetCode;
import dev.clusterconnect.routes.tunnel.StreamListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import dev.clusterconnect.routes.tunnel.TunnelStream;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The peer port admits only replicas (mutual TLS with the peer CA), and even a stream over a
 * genuine peer link passes the relay's own authentication and access checks before it reaches a
 * tunnel: holding a peer certificate is not holding a user's identity.
 */
class PeerPortSecurityTest {

    private static Chain chain;
    private static TunnelComponent tunnels;
    private static int peerPort;

    @BeforeAll
    static void start() throws Exception {
        chain = Chain.startForwarded("alice");
        peerPort = Integer.parseInt(
                chain.holder.getCamelContext().resolvePropertyPlaceholders("{{relay.peer.listen.port}}"));
        tunnels = new TunnelComponent();
    }

    @AfterAll
    static void stop() throws Exception {
        tunnels.stop();
        chain.close();
    }

    @Test
    void aClientWithoutACertificateIsTurnedAwayByTls() {
        assertThatThrownBy(
                        () -> handshake(JdkTls.trusting(PemFiles.readCertificates(chain.dir.resolve("peer-ca.crt")))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aCertificateOfAnotherCaIsTurnedAwayByTls() {
        CertificateAuthority other = CertificateAuthority.create("not the peer CA", Duration.ofDays(1));
        Path dir = chain.dir.resolve("intruder");
        other.issuePeer("intruder", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("peer.crt"), dir.resolve("peer.key"));
        PeerLinks links = tunnels.peerLinks(
                "intruder",
                TlsContexts.mutualClient(
                        dir.resolve("peer.crt"), dir.resolve("peer.key"), chain.dir.resolve("peer-ca.crt")),
                TunnelSettings.defaults());
        assertThatThrownBy(() ->
                        links.link("relay-holder", "127.0.0.1:" + peerPort).get(10, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("certificate"));
    }

    @Test
    void aStreamOverAGenuinePeerLinkIsStillAuthenticatedAndAuthorised() throws Exception {
        TunnelSession link = genuineLink();
        assertThat(status(link, null)).as("no token").isEqualTo(401);
        assertThat(status(link, "Bearer not-a-token")).as("a forged token").isEqualTo(401);
        assertThat(status(link, "Bearer " + chain.issuer.token("mallory")))
                .as("a user without a grant")
                .isEqualTo(403);
        assertThat(status(link, "Bearer " + chain.issuer.token("alice")))
                .as("the owner")
                .isEqualTo(200);
    }

    @Test
    void thePublicPortHasNoPeerEndpoint() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(JdkTls.trusting(PemFiles.readCertificates(chain.dir.resolve("relay-ca.crt"))))
                .build();
        var response = client.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("https://127.0.0.1:" + chain.relayPort + PeerLinks.PATH))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }

    private static TunnelSession genuineLink() throws Exception {
        PeerLinks links = tunnels.peerLinks(
                "test-replica",
                TlsContexts.mutualClient(
                        chain.dir.resolve("peer.crt"), chain.dir.resolve("peer.key"), chain.dir.resolve("peer-ca.crt")),
                TunnelSettings.defaults());
        return links.link("relay-holder", "127.0.0.1:" + peerPort).get(10, TimeUnit.SECONDS);
    }

    /** The status the holder answers a GET of the namespaces with, over the link. */
    private static int status(TunnelSession link, String authorization) throws Exception {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(TunnelProducer.PEER_CLUSTER_HEADER, chain.clusterId);
        if (authorization != null) {
            headers.set("Authorization", authorization);
        }
        CompletableFuture<Integer> status = new CompletableFuture<>();
        TunnelStream stream = link.open(new RequestHead("GET", "/api/v1/namespaces", headers), new StreamListener() {
            @Override
            public void onResponse(TunnelStream stream, ResponseHead head) {
                status.complete(head.status());
                stream.inbound().cancel("seen enough");
            }

            @Override
            public void onReset(ResetCode code, String reason) {
                status.completeExceptionally(new IllegalStateException("reset " + code + ": " + reason));
            }
        });
        stream.pipeFrom(ByteSource.EMPTY);
        return status.get(10, TimeUnit.SECONDS);
    }

    private static void handshake(javax.net.ssl.SSLContext tls) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", peerPort)) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            // TLS 1.3 reports a refused client certificate on the first read, not in the handshake.
            socket.getOutputStream().write("GET /peer/v1/connect HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            if (socket.getInputStream().read() < 0) {
                throw new IOException("closed by the peer port");
            }
        }
    }
}
