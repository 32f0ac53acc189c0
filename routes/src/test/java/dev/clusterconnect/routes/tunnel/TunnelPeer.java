package dev.clusterconnect.routes.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One end of a tunnel on an {@link EmbeddedChannel} whose WebSocket handshake is taken as done:
 * tests hand it messages as the peer would and read back the frames it wrote.
 */
final class TunnelPeer {

    /** Small numbers so that windows fill after a few frames. */
    static final TunnelSettings SETTINGS =
            new TunnelSettings(16 * 1024, 4 * 1024, 1024, Duration.ofSeconds(15), Duration.ofSeconds(45));

    static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    final EmbeddedChannel channel = new EmbeddedChannel();
    final RecordingSessionListener listener;
    final TunnelSession session;

    private TunnelPeer(TunnelSession.Role role, TunnelSettings settings, RecordingSessionListener listener) {
        this.listener = listener;
        this.session = TunnelSession.start(
                channel, role, settings, listener, role.name().toLowerCase(Locale.ROOT) + "-test");
    }

    static TunnelPeer agent() {
        return agent(new RecordingSessionListener());
    }

    static TunnelPeer agent(RecordingSessionListener listener) {
        return new TunnelPeer(TunnelSession.Role.AGENT, SETTINGS, listener);
    }

    static TunnelPeer agent(TunnelSettings settings) {
        return new TunnelPeer(TunnelSession.Role.AGENT, settings, new RecordingSessionListener());
    }

    static TunnelPeer relay() {
        return new TunnelPeer(TunnelSession.Role.RELAY, SETTINGS, new RecordingSessionListener());
    }

    /** Delivers one WebSocket binary message, as the peer's side of the connection would. */
    void receive(ByteBuf message) {
        channel.writeInbound(new BinaryWebSocketFrame(message));
        channel.runPendingTasks();
    }

    /** The frames this side wrote since the last call, after running its pending tasks. */
    List<SentFrame> sent() {
        channel.runPendingTasks();
        List<SentFrame> frames = new ArrayList<>();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            try {
                if (message instanceof BinaryWebSocketFrame binary) {
                    frames.add(SentFrame.of(binary.content()));
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        return frames;
    }

    /** Advances this side's clock by {@code step} and runs the timers that fell due. */
    void advance(Duration step) {
        channel.advanceTimeBy(step.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /**
     * Closes the channel, releases what it still holds, and checks the session went down cleanly:
     * no stream left, the listener told exactly once.
     */
    void closeCleanly() {
        channel.close();
        sent();
        channel.finishAndReleaseAll();
        if (session.openStreams() != 0 || !session.isClosed() || listener.closed != 1) {
            throw new AssertionError(session + " did not shut down cleanly (onClosed calls: " + listener.closed + ")");
        }
    }
}
