package dev.clusterconnect.relay.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.relay.store.AuditLog;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.status.StatusMapping;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.StringWriter;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The audit line of a failed request records the status the client is answered with. */
class AuditTrailTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStatusInsideWrappersIsAuditedWithItsOwnCode() throws Exception {
        Exception failure = new CompletionException(
                new RuntimeCamelException(new KubeStatusException(403, "user bob may not reach cluster c1")));
        assertThat(auditedStatus(failure)).isEqualTo(403);
    }

    @Test
    void aFullPoolIsAuditedAsThe503TheClientGets() throws Exception {
        Exception failure = new RuntimeCamelException(new RejectedExecutionException());
        assertThat(auditedStatus(failure))
                .isEqualTo(503)
                .isEqualTo(StatusMapping.of(failure, "any").code());
    }

    @Test
    void anUnknownFailureIsAuditedAs500() throws Exception {
        assertThat(auditedStatus(new IllegalStateException("broken"))).isEqualTo(500);
    }

    private static int auditedStatus(Exception failure) throws Exception {
        StringWriter out = new StringWriter();
        // the writer closes first, writing the line the exchange left waiting
        try (CamelContext context = new DefaultCamelContext();
                AuditWriter log = new AuditWriter(new AuditLog(out))) {
            AuditTrail trail = new AuditTrail(log, Clock.systemUTC());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:clients").routeId("clients").process(trail).throwException(failure);
                }
            });
            context.start();
            HttpCall call = new HttpCall(
                    new RequestHead("GET", "/clusters/c1/api", new DefaultHttpHeaders()),
                    ByteSource.EMPTY,
                    null,
                    "req-1");
            context.createProducerTemplate()
                    .send("direct:clients", exchange -> exchange.getMessage().setBody(call));
        }
        JsonNode line = JSON.readTree(out.toString().lines().findFirst().orElseThrow());
        assertThat(line.get("correlationId").asText()).isEqualTo("req-1");
        return line.get("status").asInt();
    }
}
