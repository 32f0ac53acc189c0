package dev.clusterconnect.agent.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** Exchanges as the tunnel consumer hands them to the agent's chain (an {@link HttpCall} body, no socket), and checks on them. */
final class Calls {

    // Never started: the steps only need an exchange to hang their results on.
    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Calls() {}

    /** A GET of the pod list carrying {@code headers}, given as name, value, name, value, ... */
    static Exchange exchange(String... headers) {
        return request("GET", "/api/v1/namespaces/default/pods?limit=500", headers);
    }

    static Exchange request(String method, String target, String... headers) {
        HttpHeaders map = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            map.add(headers[i], headers[i + 1]);
        }
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setBody(new HttpCall(new RequestHead(method, target, map), null, null, "test-call"));
        return exchange;
    }

    static HttpCall call(Exchange exchange) {
        return exchange.getMessage().getBody(HttpCall.class);
    }

    static HttpHeaders headers(Exchange exchange) {
        return call(exchange).head().headers();
    }

    /** Every header line in order, as {@code name: value}. */
    static List<String> lines(HttpHeaders headers) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> header : headers) {
            lines.add(header.getKey() + ": " + header.getValue());
        }
        return lines;
    }

    /**
     * Asserts {@code failure} ends the request with a Kubernetes Status kubectl prints well
     * ({@code Error from server (Reason): message}): the code and reason, a one-line message holding
     * {@code fragment}, and a Status body that says the same.
     */
    static KubeStatusException assertStatus(Throwable failure, int code, String reason, String fragment) {
        KubeStatusException status = assertInstanceOf(KubeStatusException.class, failure);
        assertEquals(code, status.code(), status.getMessage());
        assertEquals(reason, status.reason());
        String message = status.getMessage();
        assertTrue(message.contains(fragment), "'" + fragment + "' in: " + message);
        assertFalse(message.chars().anyMatch(c -> c < 0x20), "one printable line: " + message);
        try {
            JsonNode body = JSON.readTree(status.body());
            assertEquals("Status", body.path("kind").asText());
            assertEquals("Failure", body.path("status").asText());
            assertEquals(code, body.path("code").asInt());
            assertEquals(reason, body.path("reason").asText());
            assertEquals(message, body.path("message").asText());
        } catch (IOException e) {
            throw new AssertionError("the Status body is not JSON", e);
        }
        return status;
    }
}
