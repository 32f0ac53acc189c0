package dev.clusterconnect.routes.http;

import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.channel.Channel;
import java.util.Optional;

/**
 * The body of every request exchange: the request head, a handle on its body, and (for requests
 * that arrived on a socket of ours) the connection, which an upgrade may take over.
 *
 * <p>The body is a {@link ByteSource}, not bytes: it is never read into the exchange. For an
 * upgrade request it goes on carrying the client's raw bytes after the {@code 101}.
 */
public final class HttpCall {

    private RequestHead head;
    private final ByteSource body;
    private final Channel connection;
    private final String correlationId;
    private final Abandonment abandonment;

    public HttpCall(RequestHead head, ByteSource body, Channel connection, String correlationId) {
        this(head, body, connection, correlationId, new Abandonment());
    }

    private HttpCall(
            RequestHead head, ByteSource body, Channel connection, String correlationId, Abandonment abandonment) {
        this.head = head;
        this.body = body;
        this.connection = connection;
        this.correlationId = correlationId;
        this.abandonment = abandonment;
    }

    /** The same call with its body seen through {@code wrapped} (counted, say): same head, id and abandonment. */
    public HttpCall withBody(ByteSource wrapped) {
        return new HttpCall(head, wrapped, connection, correlationId, abandonment);
    }

    /** Whoever sent the call went away; the hops serving it listen here. */
    public Abandonment abandonment() {
        return abandonment;
    }

    public RequestHead head() {
        return head;
    }

    /** Replaces the head (a route rewrites the target, or builds a fresh header map). */
    public void head(RequestHead newHead) {
        this.head = newHead;
    }

    public ByteSource body() {
        return body;
    }

    /** The client's socket, when this call arrived on one (not through the tunnel). */
    public Optional<Channel> connection() {
        return Optional.ofNullable(connection);
    }

    public String correlationId() {
        return correlationId;
    }
}
