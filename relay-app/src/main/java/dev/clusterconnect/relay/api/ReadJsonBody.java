package dev.clusterconnect.relay.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.CollectedBody;
import java.io.IOException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Reads the (small) JSON body of an API request into the {@link #PROPERTY} exchange property, or
 * {@link NullNode} when there is none. Asynchronous: the body arrives on the connection's event
 * loop, which must not wait for it. Every API request passes here, so its body is always read to
 * the end and the connection can serve the next request.
 */
public final class ReadJsonBody extends AsyncProcessorSupport {

    /** Exchange property: the request body as a {@link JsonNode}. */
    public static final String PROPERTY = "ClusterConnectApiBody";
    /** Requests of this API are a few hundred bytes; anything near this is not one of them. */
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        CollectedBody.of(call.body(), MAX_BYTES).whenComplete((bytes, failure) -> {
            if (failure instanceof KubeStatusException status && status.code() == 413) {
                call.body().cancel("request body too large");
            }
            Exception problem = failure == null
                    ? parse(exchange, bytes)
                    : failure instanceof Exception e ? e : new IllegalStateException(failure);
            if (problem != null) {
                exchange.setException(problem);
            }
            callback.done(false);
        });
        return false;
    }

    private static Exception parse(Exchange exchange, byte[] bytes) {
        if (bytes.length == 0) {
            exchange.setProperty(PROPERTY, NullNode.getInstance());
            return null;
        }
        try {
            exchange.setProperty(PROPERTY, JSON.readTree(bytes));
            return null;
        } catch (IOException e) {
            return new KubeStatusException(400, "the request body is not JSON");
        }
    }
}
