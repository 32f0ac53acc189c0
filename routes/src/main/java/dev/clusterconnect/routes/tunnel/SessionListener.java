package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.RequestHead;

/** What a tunnel tells the code that owns it. Called on the tunnel's event loop. */
public interface SessionListener {

    /** Agent side: the relay opened a stream carrying a request. */
    default void onOpen(TunnelStream stream, RequestHead head) {
        stream.reset(ResetCode.REFUSED, "this side does not accept streams");
    }

    /** The peer will take no new streams (it is draining). */
    default void onGoAway(TunnelSession session, String reason) {}

    /** A session that is draining (GOAWAY either way) has no open stream left. */
    default void onIdle(TunnelSession session) {}

    /** The connection is gone; every open stream has been reset. */
    default void onClosed(TunnelSession session) {}
}
