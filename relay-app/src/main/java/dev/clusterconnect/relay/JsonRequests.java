package dev.clusterconnect.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.CollectedBody;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;

/**
 * The small JSON requests of the agent API (enrol, rotate): read whole, bounded in size and time,
 * and answered with a JSON body. Runs on a route worker thread, never the event loop, because it
 * waits for the body.
 */
final class JsonRequests {

    static final ObjectMapper JSON = new ObjectMapper();
    // A P-256 JWK and a token fit in well under 1 KiB; anything near this is not an agent.
    private static final int MAX_BYTES = 16 * 1024;
    private static final long READ_TIMEOUT_SECONDS = 10;

    private JsonRequests() {}

    /** The request body as a JSON object; 400/413/408 as a Kubernetes Status otherwise. */
    static JsonNode read(HttpCall call) {
        if (!"POST".equals(call.head().method())) {
            throw new KubeStatusException(405, "use POST");
        }
        CompletableFuture<byte[]> body = CollectedBody.of(call.body(), MAX_BYTES);
        byte[] bytes;
        try {
            bytes = body.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            call.body().cancel("request body too slow");
            throw new KubeStatusException(408, "the request body did not arrive in time");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KubeStatusException status
                    ? status
                    : new KubeStatusException(400, "the request body could not be read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeStatusException(503, "the relay is shutting down");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new KubeStatusException(400, "the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            // The parser's message can quote the input (a token): leave it out.
            throw new KubeStatusException(400, "the request body is not valid JSON");
        } catch (java.io.IOException e) {
            throw new KubeStatusException(400, "the request body could not be read");
        }
    }

    /** A required text member. */
    static String text(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new KubeStatusException(400, "the request needs \"" + member + "\" (a string)");
        }
        return value.asText();
    }

    static void reply(Exchange exchange, int status, ObjectNode body) {
        exchange.getMessage().setHeader(ClusterConnectHeaders.RESPONSE_CODE, status);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }
}
