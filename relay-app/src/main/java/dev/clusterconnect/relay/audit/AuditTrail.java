package dev.clusterconnect.relay.audit;

import dev.clusterconnect.relay.access.Caller;
import dev.clusterconnect.relay.store.AuditEvent;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.status.StatusMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * First step of every client route: one audit line per request, written when the response is
 * over (the last byte sent, or the stream aborted), so a watch is recorded with its real duration
 * and size. Both bodies are counted on their way through; the line takes only typed fields (caller
 * name, cluster, method, path, status, counts), never a header, so no credential can reach it.
 * The line is written by the {@link AuditWriter}, off the thread that ends the reply.
 */
public final class AuditTrail implements Processor {

    private final AuditWriter log;
    private final Clock clock;

    public AuditTrail(AuditWriter log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        CountingSource requestBody = new CountingSource(call.body(), null);
        HttpCall counted = call.withBody(requestBody);
        exchange.getMessage().setBody(counted);
        Instant start = clock.instant();
        // Runs when the route is done and before the consumer writes the reply, so the reply it
        // writes is the counting one.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                Object body = done.getMessage().getBody();
                if (body instanceof HttpReply reply && reply != HttpReply.TAKEN_OVER) {
                    int status = reply.head().status();
                    done.getMessage()
                            .setBody(new HttpReply(
                                    reply.head(),
                                    new CountingSource(
                                            reply.body(),
                                            bytesOut -> record(
                                                    done, counted, start, status, requestBody.bytes(), bytesOut))));
                } else {
                    int status = done.getMessage().getHeader(ClusterConnectHeaders.RESPONSE_CODE, 200, Integer.class);
                    long bytesOut = body instanceof byte[] bytes
                            ? bytes.length
                            : body == null ? 0 : String.valueOf(body).length();
                    record(done, counted, start, status, requestBody.bytes(), bytesOut);
                }
            }

            @Override
            public void onFailure(Exchange failed) {
                // The consumer answers with the same mapping (and logs an unknown failure there, once).
                KubeStatusException status = StatusMapping.of(failed.getException(), counted.correlationId());
                record(failed, counted, start, status.code(), requestBody.bytes(), status.body().length);
            }
        });
    }

    private void record(Exchange exchange, HttpCall call, Instant start, int status, long bytesIn, long bytesOut) {
        Caller caller = exchange.getProperty(Caller.PROPERTY, Caller.class);
        Instant end = clock.instant();
        dev.clusterconnect.routes.metrics.Metrics.clusterTraffic(
                exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID, String.class), bytesIn, bytesOut);
        log.write(new AuditEvent(
                start,
                caller == null ? null : caller.user(),
                exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID, String.class),
                call.head().method(),
                call.head().target(),
                status,
                bytesIn,
                bytesOut,
                Duration.between(start, end),
                call.correlationId()));
    }
}
