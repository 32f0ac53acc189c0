package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step 2: the request to the apiserver starts from an empty header map and takes over only the
 * headers the apiserver needs to serve it. Whatever else the client sent (credentials, identity
 * hints, proxy headers) never reaches the apiserver, whatever its name or case.
 */
public final class FreshHeaders implements Processor {

    /** Lower-case names copied as they are. */
    static final Set<String> FORWARDED = Set.of(
            "accept", "accept-encoding", "content-type", "content-length", "content-encoding", "transfer-encoding",
            "user-agent", "kubectl-command", "kubectl-session", "audit-id", "x-stream-protocol-version",
            "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol",
            "sec-websocket-extensions", "if-match", "if-none-match", "x-clusterconnect-request-id");

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        HttpHeaders original = call.head().headers();
        if (original.getAll("Authorization").size() > 1) {
            throw new KubeStatusException(400, "a request may carry one Authorization header");
        }
        HttpHeaders fresh = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : original) {
            if (FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                fresh.add(header.getKey(), header.getValue());
            }
        }
        exchange.setProperty(ORIGINAL_AUTHORIZATION, original.get("Authorization"));
        call.head(new RequestHead(call.head().method(), call.head().target(), fresh));
    }

    /** Exchange property: the client's Authorization header, for the authentication step. */
    public static final String ORIGINAL_AUTHORIZATION = "ClusterConnectClientAuthorization";
}
