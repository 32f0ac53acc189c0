package dev.clusterconnect.routes.http;

import dev.clusterconnect.routes.stream.ByteSource;

/**
 * The body of an exchange once a producer has the response head: the head and a handle on the
 * response body, which the consumer streams to the client. For a {@code 101} the body carries the
 * upgraded connection's raw bytes.
 */
public record HttpReply(ResponseHead head, ByteSource body) {

    /** The reply of a producer that took the client connection over itself (a tunnel accepted). */
    public static final HttpReply TAKEN_OVER = new HttpReply(ResponseHead.of(101), ByteSource.EMPTY);
}
