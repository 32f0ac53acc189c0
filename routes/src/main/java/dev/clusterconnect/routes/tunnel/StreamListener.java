package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.ResponseHead;

/** What the relay side of a stream learns about its response. Called on the tunnel's event loop. */
public interface StreamListener {

    /** The agent sent the response head; the body follows on {@link TunnelStream#inbound()}. */
    void onResponse(TunnelStream stream, ResponseHead head);

    /** The stream was reset or its tunnel died before or after the head. */
    void onReset(ResetCode code, String reason);

    /**
     * The stream is over, however it ended: both sides ended it, it was reset (by either side,
     * or because the client went away), or its tunnel closed. Called once, after every other
     * call: where whatever was counted for the stream is given back.
     */
    default void onClosed() {}
}
