package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tunnel connection: the streams multiplexed on one WebSocket, the heartbeat, and draining.
 * All frame handling runs on the channel's event loop; the public methods are safe from any thread.
 */
public final class TunnelSession {

    /** Which end of the tunnel this is: only the relay opens streams. */
    public enum Role {
        RELAY,
        AGENT
    }

    private static final Logger LOG = LoggerFactory.getLogger(TunnelSession.class);

    private final Channel channel;
    private final Role role;
    private final TunnelSettings settings;
    private final SessionListener listener;
    private final String name;
    private final Map<Integer, TunnelStream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger nextStreamId = new AtomicInteger(1);
    private final Heartbeat heartbeat;
    private int highestPeerStreamId;
    private volatile boolean goAwaySent;
    private volatile boolean goAwayReceived;
    private volatile boolean closed;

    private TunnelSession(Channel channel, Role role, TunnelSettings settings, SessionListener listener, String name) {
        this.channel = channel;
        this.role = role;
        this.settings = settings;
        this.listener = listener;
        this.name = name;
        this.heartbeat = new Heartbeat(this, settings);
    }

    /**
     * Starts a session on a channel whose WebSocket handshake is complete: adds the frame handlers
     * and the heartbeat.
     *
     * @param name for logs: the cluster id and remote address, never a credential
     */
    public static TunnelSession start(
            Channel channel, Role role, TunnelSettings settings, SessionListener listener, String name) {
        TunnelSession session = new TunnelSession(channel, role, settings, listener, name);
        channel.pipeline().addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameBytes()));
        channel.pipeline().addLast("tunnel", new TunnelFrameHandler(session));
        session.execute(session.heartbeat::start);
        return session;
    }

    public String name() {
        return name;
    }

    public Channel channel() {
        return channel;
    }

    public TunnelSettings settings() {
        return settings;
    }

    /** Streams open right now (for metrics, and for tests that check nothing leaked). */
    public int openStreams() {
        return streams.size();
    }

    /** True while new streams may be opened on this session. */
    public boolean isAcceptingStreams() {
        return !closed && !goAwaySent && !goAwayReceived && channel.isActive();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Relay side: opens a stream and sends the request head. The caller then pipes the request
     * body into {@link TunnelStream#outbound()}.
     *
     * @throws StreamRefusedException when the session is draining or closed, or the head is too large
     */
    public TunnelStream open(RequestHead head, StreamListener streamListener) throws StreamRefusedException {
        if (role != Role.RELAY) {
            throw new IllegalStateException("only the relay opens streams");
        }
        if (!isAcceptingStreams()) {
            throw new StreamRefusedException(false, "tunnel is draining or closed");
        }
        ByteBuf frame = FrameCodec.open(channel.alloc(), 0, head, settings.maxHeaderBytes());
        if (frame == null) {
            throw new StreamRefusedException(
                    true, "request head is larger than " + settings.maxHeaderBytes() + " bytes");
        }
        // Ids must reach the agent in increasing order: allocate and queue the write together.
        synchronized (nextStreamId) {
            int id = nextStreamId.getAndIncrement();
            frame.setInt(1, id);
            TunnelStream stream = new TunnelStream(this, id, settings, streamListener);
            streams.put(id, stream);
            enqueue(() -> {
                if (closed) {
                    // Closed between the check above and now: the close may have missed this
                    // stream, which must still end (and give back what was counted for it).
                    frame.release();
                    streams.remove(id, stream);
                    stream.closeAfterReset(ResetCode.CANCEL, "tunnel closed");
                } else {
                    write(frame);
                }
            });
            return stream;
        }
    }

    /** Tells the peer no new streams will be taken, and stops opening new ones; open ones go on. */
    public void goAway(String reason) {
        execute(() -> {
            if (!goAwaySent && channel.isActive()) {
                goAwaySent = true;
                write(FrameCodec.goAway(channel.alloc(), highestPeerStreamId, 0, reason));
            }
        });
    }

    /** Closes the connection; every open stream is reset. */
    public void close() {
        channel.close();
    }

    // ---- event loop ----

    /**
     * Runs {@code task} on the event loop after everything queued before it, even when called on
     * the loop. Frames that must keep their order (OPEN, HEADERS, DATA of one stream) are all
     * written through here, so they leave in the order they were queued.
     */
    void enqueue(Runnable task) {
        channel.eventLoop().execute(task);
    }

    void execute(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    void onMessage(ByteBuf message) {
        heartbeat.received();
        Frame frame = FrameCodec.decode(message);
        if (frame == null) {
            LOG.warn(
                    "tunnel {}: dropped a message that is not a frame of this version ({} bytes)",
                    name,
                    message.readableBytes());
            return;
        }
        try {
            dispatch(frame);
        } finally {
            frame.payload().release();
        }
    }

    private void dispatch(Frame frame) {
        switch (frame.type()) {
            case OPEN -> onOpen(frame);
            case HEADERS -> onHeaders(frame);
            case DATA -> onData(frame);
            case END -> onEnd(frame);
            case RESET -> onReset(frame);
            case WINDOW -> onWindow(frame);
            case PING -> onPing(frame);
            case PONG -> {} // its arrival is all a heartbeat needs, counted in onMessage
            case GOAWAY -> onGoAway(frame);
        }
    }

    private void onOpen(Frame frame) {
        int id = frame.streamId();
        if (role != Role.AGENT || id <= highestPeerStreamId) {
            // The RESET aborts this id at the peer: a live stream with it must not go on here.
            TunnelStream live = streams.get(id);
            if (live != null) {
                protocolError(live, "unexpected OPEN");
            } else {
                sendReset(id, ResetCode.PROTOCOL, "unexpected OPEN");
            }
            return;
        }
        highestPeerStreamId = id;
        if (goAwaySent || closed) {
            sendReset(id, ResetCode.REFUSED, "agent is draining");
            return;
        }
        RequestHead head;
        try {
            head = FrameCodec.readRequestHead(frame.payload());
        } catch (MalformedFrameException e) {
            LOG.warn("tunnel {}: stream {} reset: {}", name, id, e.getMessage());
            sendReset(id, ResetCode.PROTOCOL, e.getMessage());
            return;
        }
        TunnelStream stream = new TunnelStream(this, id, settings, null);
        streams.put(id, stream);
        listener.onOpen(stream, head);
    }

    private void onHeaders(Frame frame) {
        TunnelStream stream = known(frame);
        if (stream == null) {
            return;
        }
        if (role != Role.RELAY || stream.headSent()) {
            protocolError(stream, "unexpected HEADERS");
            return;
        }
        try {
            stream.onHeaders(FrameCodec.readResponseHead(frame.payload()));
        } catch (MalformedFrameException e) {
            protocolError(stream, e.getMessage());
        }
    }

    private void onData(Frame frame) {
        TunnelStream stream = known(frame);
        if (stream != null && !stream.onData(frame.payload().retain())) {
            sendReset(stream.id(), ResetCode.FLOW_CONTROL, "DATA beyond the window");
            stream.closeAfterReset(ResetCode.FLOW_CONTROL, "peer sent DATA beyond the window");
        }
    }

    private void onEnd(Frame frame) {
        TunnelStream stream = known(frame);
        if (stream != null) {
            stream.onEnd();
        }
    }

    private void onReset(Frame frame) {
        TunnelStream stream = streams.get(frame.streamId());
        if (stream == null || frame.payload().readableBytes() < 2) {
            return;
        }
        ResetCode code = ResetCode.of(frame.payload().readUnsignedShort());
        stream.closeAfterReset(code, "peer reset the stream (" + code + "): " + FrameCodec.readReason(frame.payload()));
    }

    private void onWindow(Frame frame) {
        TunnelStream stream = streams.get(frame.streamId());
        if (stream == null) {
            return; // credit for a stream that just ended: harmless
        }
        if (frame.payload().readableBytes() != 4
                || frame.payload().getInt(frame.payload().readerIndex()) <= 0) {
            protocolError(stream, "bad WINDOW");
            return;
        }
        stream.onWindow(frame.payload().readInt());
    }

    private void onPing(Frame frame) {
        if (frame.payload().readableBytes() == 8) {
            write(FrameCodec.ping(
                    channel.alloc(), FrameType.PONG, frame.payload().readLong()));
        }
    }

    private void onGoAway(Frame frame) {
        goAwayReceived = true;
        String reason = frame.payload().readableBytes() >= 6
                ? FrameCodec.readReason(frame.payload().skipBytes(6))
                : "";
        LOG.info("tunnel {}: peer is draining ({})", name, reason);
        listener.onGoAway(this, reason);
    }

    /** The stream a frame is for, or null (after answering frames for streams that never were). */
    private TunnelStream known(Frame frame) {
        TunnelStream stream = streams.get(frame.streamId());
        if (stream == null && isNeverOpened(frame.streamId())) {
            sendReset(frame.streamId(), ResetCode.STREAM_CLOSED, "no such stream");
        }
        return stream;
    }

    private boolean isNeverOpened(int id) {
        return role == Role.AGENT ? id > highestPeerStreamId : id >= nextStreamId.get();
    }

    private void protocolError(TunnelStream stream, String reason) {
        LOG.warn("tunnel {}: stream {} reset: {}", name, stream.id(), reason);
        stream.reset(ResetCode.PROTOCOL, reason);
    }

    void onChannelClosed() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.stop();
        for (TunnelStream stream : streams.values().toArray(TunnelStream[]::new)) {
            stream.closeAfterReset(ResetCode.CANCEL, "tunnel closed");
        }
        streams.clear();
        listener.onClosed(this);
    }

    void forget(TunnelStream stream) {
        if (streams.remove(stream.id(), stream) && streams.isEmpty() && (goAwaySent || goAwayReceived) && !closed) {
            listener.onIdle(this);
        }
    }

    /** True once either side sent GOAWAY: the session only finishes what it has. */
    public boolean isDraining() {
        return goAwaySent || goAwayReceived;
    }

    // ---- sending ----

    boolean sendHeaders(TunnelStream stream, ResponseHead head) {
        ByteBuf frame = FrameCodec.headers(channel.alloc(), stream.id(), head, settings.maxHeaderBytes());
        if (frame == null) {
            stream.reset(ResetCode.TOO_LARGE, "response head too large");
            return false;
        }
        enqueue(() -> write(frame));
        return true;
    }

    void sendData(int id, ByteBuf data) {
        write(FrameCodec.data(channel.alloc(), id, data));
    }

    void sendEnd(int id) {
        write(FrameCodec.control(channel.alloc(), FrameType.END, id));
    }

    void sendWindow(int id, int increment) {
        if (streams.containsKey(id)) {
            write(FrameCodec.window(channel.alloc(), id, increment));
        }
    }

    void sendReset(int id, ResetCode code, String reason) {
        write(FrameCodec.reset(channel.alloc(), id, code, reason));
    }

    void sendPing(long opaque) {
        write(FrameCodec.ping(channel.alloc(), FrameType.PING, opaque));
    }

    private void write(ByteBuf frame) {
        if (!channel.isActive()) {
            frame.release();
            return;
        }
        channel.writeAndFlush(new BinaryWebSocketFrame(frame), channel.voidPromise());
    }

    @Override
    public String toString() {
        return "TunnelSession[" + name + ", " + role + ", streams=" + streams.size() + "]";
    }
}
