package dev.clusterconnect.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Whether the relay answers at all (any HTTP status counts: it is there and speaks TLS with a
 * certificate we trust), asked at most every few seconds however often something probes.
 */
final class RelayProbe {

    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final HttpClient client;
    private final URI relay;
    private volatile long checkedAt;
    private volatile boolean answers;

    RelayProbe(URI relay, SSLContext tls) {
        this.relay = relay;
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(3)).build();
    }

    boolean answers() {
        long now = System.nanoTime();
        if (checkedAt == 0 || now - checkedAt > MAX_AGE_NANOS) {
            answers = ask();
            checkedAt = now;
        }
        return answers;
    }

    private boolean ask() {
        try {
            client.send(HttpRequest.newBuilder(relay.resolve("/healthz")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
