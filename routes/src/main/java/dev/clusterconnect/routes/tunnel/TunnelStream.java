package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;

/**
 * One HTTP exchange inside a tunnel. To the code on either side it is an ordinary pair of byte
 * streams: {@link #outbound()} is where this side writes, {@link #inbound()} what the peer sent.
 */
public final class TunnelStream {

    private final TunnelSession session;
    private final int id;
    private final OutboundWindow outbound;
    private final InboundWindow inbound;
    private final StreamListener listener;
    private boolean localEnded;
    private boolean remoteEnded;
    private volatile boolean reset;
    private boolean headSent;
    private boolean finished;
    private volatile ByteSource feeding;
    private volatile Runnable onReset;

    TunnelStream(TunnelSession session, int id, TunnelSettings settings, StreamListener listener) {
        this.session = session;
        this.id = id;
        this.listener = listener;
        this.outbound = new OutboundWindow(this, settings.initialWindow(), settings.maxDataBytes());
        this.inbound = new InboundWindow(this, settings.initialWindow());
    }

    public int id() {
        return id;
    }

    TunnelSession session() {
        return session;
    }

    /** Where this side's body (or raw upgraded bytes) goes. */
    public ByteSink outbound() {
        return outbound;
    }

    /** What the peer sends: the response body on the relay, the request body on the agent. */
    public ByteSource inbound() {
        return inbound;
    }

    /**
     * Streams {@code source} into this stream's outbound side; if the stream is reset (the peer
     * went away), the source is cancelled, which closes the socket it reads from.
     */
    public void pipeFrom(ByteSource source) {
        feeding = source;
        if (reset) {
            source.cancel("stream reset");
        } else {
            source.start(outbound);
        }
    }

    public boolean isReset() {
        return reset;
    }

    /**
     * Runs {@code listener} when the stream is reset, by either side (at once if it already was):
     * how the side that accepted a stream hears that its caller went away before the answer.
     */
    public void whenReset(Runnable listener) {
        onReset = listener;
        if (reset) {
            listener.run();
        }
    }

    /**
     * Agent side: sends the response head. Returns false when the stream was reset already (the
     * caller went away) or the head is too large to send, which resets it: the caller then
     * cancels the body it would have sent.
     */
    public boolean respond(ResponseHead head) {
        return !reset && session.sendHeaders(this, head);
    }

    /** Aborts the stream in both directions and tells the peer. Safe from any thread, repeatedly. */
    public void reset(ResetCode code, String reason) {
        // Queued behind whatever was queued before (the OPEN of a stream reset at once must go first).
        session.enqueue(() -> {
            if (!reset) {
                session.sendReset(id, code, reason);
                closeAfterReset(code, reason);
            }
        });
    }

    // ---- called by the session on the event loop ----

    void onHeaders(ResponseHead head) {
        headSent = true;
        if (listener != null) {
            listener.onResponse(this, head);
        }
    }

    boolean onData(io.netty.buffer.ByteBuf data) {
        return inbound.onData(data);
    }

    void onEnd() {
        inbound.onEnd();
        remoteEnded = true;
        closeIfDone();
    }

    void onWindow(int increment) {
        outbound.grant(increment);
    }

    void closeAfterReset(ResetCode code, String reason) {
        if (reset) {
            return;
        }
        reset = true;
        inbound.onReset(reason);
        outbound.close();
        session.forget(this);
        ByteSource source = feeding;
        if (source != null) {
            source.cancel(reason);
        }
        if (listener != null) {
            listener.onReset(code, reason);
        }
        Runnable resetListener = onReset;
        if (resetListener != null) {
            resetListener.run();
        }
        finished();
    }

    void localEnded() {
        session.sendEnd(id);
        localEnded = true;
        closeIfDone();
    }

    boolean headSent() {
        return headSent;
    }

    private void closeIfDone() {
        if (localEnded && remoteEnded && !reset) {
            outbound.close();
            session.forget(this);
            finished();
        }
    }

    private void finished() {
        if (!finished) {
            finished = true;
            if (listener != null) {
                listener.onClosed();
            }
        }
    }
}
