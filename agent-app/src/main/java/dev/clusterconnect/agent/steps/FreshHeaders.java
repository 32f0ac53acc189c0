package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step 3: the request to the apiserver starts from an empty header map and takes over only the
 * headers the apiserver needs to serve it. Whatever else the client sent (credentials, identity
 * hints, proxy headers) never reaches the apiserver, whatever its name or case.
 */
public final class FreshHeaders implements Processor {

    /** Lower-case names copied as they are. */
    static final Set<String> FORWARDED = Set.of(
            "accept",
            "accept-encoding",
            "content-type",
            "content-length",
            "content-encoding",
            "transfer-encoding",
            "user-agent",
            "kubectl-command",
            "kubectl-session",
            "audit-id",
            "x-stream-protocol-version",
            "upgrade",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-protocol",
            "sec-websocket-extensions",
            "if-match",
            "if-none-match",
            "x-clusterconnect-request-id");

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        HttpHeaders original = call.head().headers();
        HttpHeaders fresh = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : original) {
            if (FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                fresh.add(header.getKey(), header.getValue());
            }
        }
        // Connection is never copied: a client could name our own headers in it (Connection:
        // Impersonate-User) and have the next hop strip them as hop-by-hop. Only an upgrade gets one.
        if (call.head().isUpgrade()) {
            fresh.set("Connection", "Upgrade");
        } else {
            fresh.remove("Upgrade");
        }
        call.head(new RequestHead(call.head().method(), call.head().target(), fresh));
    }
}
