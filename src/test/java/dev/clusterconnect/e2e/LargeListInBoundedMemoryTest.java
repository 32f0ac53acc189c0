package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.tls.PemFiles;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A LIST far larger than any hop's heap goes through relay, agent and proxy, each a JVM limited to
 * 128 MiB (and killed on OutOfMemoryError): it can only pass if every hop streams. The client also
 * stops reading for a while in the middle, which must hold the data back at the source instead of
 * piling it up in a hop.
 */
class LargeListInBoundedMemoryTest {

    private static final long LIST_BYTES = 220L * 1024 * 1024;
    private static SandboxApiServer apiserver;
    private static SeparateProcesses chain;

    @BeforeAll
    static void start() throws Exception {
        apiserver = SandboxApiServer.builder()
                .token("agent-secret-token", Chain.AGENT_USER)
                .impersonator(Chain.AGENT_USER)
                .bulkConfigMaps("bulk", LIST_BYTES)
                .build()
                .start();
        chain = SeparateProcesses.start(apiserver, "128m");
    }

    @AfterAll
    static void stop() throws Exception {
        if (chain != null) {
            chain.close();
        }
        apiserver.close();
    }

    @Test
    void aListLargerThanEveryHeapStreamsThroughAndAStalledReaderHoldsItBack() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trusting(chain.localCaPem))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + chain.proxyPort + "/clusters/"
                        + chain.cluster + "/api/v1/namespaces/bulk/configmaps"))
                .header("Authorization", "Bearer " + chain.localToken)
                .timeout(Duration.ofMinutes(5))
                .build();
        long started = System.nanoTime();
        long stalledNanos = 0;
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = response.body()) {
            int n;
            boolean stalled = false;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
                if (!stalled && total > 16 * 1024 * 1024) {
                    stalled = true;
                    // A reader that stops: the point is the interval itself, during which every
                    // hop must stop pulling instead of buffering (each heap is 128 MiB).
                    long stallStart = System.nanoTime();
                    Thread.sleep(3000);
                    stalledNanos = System.nanoTime() - stallStart;
                    assertThat(chain.byName.values()).allMatch(Process::isAlive);
                }
            }
        }
        assertThat(total).isGreaterThan(200L * 1024 * 1024);
        double seconds = (System.nanoTime() - started - stalledNanos) / 1e9;
        System.out.printf(
                "LIST of %d MiB through proxy, relay and agent in %.1f s (%.0f MiB/s), stall excluded%n",
                total / (1024 * 1024), seconds, total / (1024 * 1024) / seconds);
        for (var entry : chain.byName.entrySet()) {
            assertThat(entry.getValue().isAlive())
                    .as(entry.getKey() + " survived; log:\n" + chain.log(entry.getKey()))
                    .isTrue();
            // the server jars log (a stray slf4j-api 1.x once left the relay's jar silent); the
            // proxy's jar is also the command-line client, whose console is the user's, and logs errors only
            assertThat(chain.log(entry.getKey())).as(entry.getKey() + " log").doesNotContain("NOP");
            if (!entry.getKey().equals("proxy-app")) {
                assertThat(chain.log(entry.getKey()))
                        .as(entry.getKey() + " log")
                        .contains("TLS engine:");
            }
            System.out.printf(
                    "%s: peak RSS %d MiB after a %d MiB list with -Xmx128m%n",
                    entry.getKey(), SeparateProcesses.peakRssMiB(entry.getValue()), total / (1024 * 1024));
        }
    }

    static SSLContext trusting(String caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate cert : PemFiles.parseCertificates(caPem)) {
            store.setCertificateEntry("ca" + i++, cert);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
