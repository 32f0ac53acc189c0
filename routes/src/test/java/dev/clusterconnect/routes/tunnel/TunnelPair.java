package dev.clusterconnect.routes.tunnel;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * A relay and an agent joined back to back: what one side writes is handed to the other side's
 * inbound, as one WebSocket would, until both are quiet.
 */
final class TunnelPair {

    final TunnelPeer relay;
    final TunnelPeer agent;

    TunnelPair(RecordingSessionListener agentListener) {
        this.relay = TunnelPeer.relay();
        this.agent = TunnelPeer.agent(agentListener);
    }

    /** Moves messages both ways until neither side has anything left to say. */
    void pump() {
        pumpWatching(frame -> {});
    }

    /** Like {@link #pump()}, showing {@code watcher} every frame, in the order it crosses. */
    void pumpWatching(Consumer<SentFrame> watcher) {
        boolean moved = true;
        while (moved) {
            moved = move(relay.channel, agent, watcher) | move(agent.channel, relay, watcher);
        }
    }

    private static boolean move(EmbeddedChannel from, TunnelPeer to, Consumer<SentFrame> watcher) {
        from.runPendingTasks();
        boolean moved = false;
        for (Object message = from.readOutbound(); message != null; message = from.readOutbound()) {
            moved = true;
            if (!to.channel.isOpen() || !(message instanceof BinaryWebSocketFrame binary)) {
                ReferenceCountUtil.release(message);
                continue;
            }
            watcher.accept(SentFrame.of(binary.content().duplicate()));
            to.channel.writeInbound(message);
            to.channel.runPendingTasks();
        }
        return moved;
    }

    void closeCleanly() {
        relay.closeCleanly();
        agent.closeCleanly();
    }
}
