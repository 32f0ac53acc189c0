package dev.clusterconnect.routes.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs queued callbacks when its channel becomes writable again, or closes (so a paused source is
 * never left waiting for a socket that is gone).
 */
public final class WritabilityNotifier extends ChannelInboundHandlerAdapter {

    public static final String NAME = "writability";

    private final List<Runnable> waiting = new ArrayList<>();

    /** The notifier of {@code channel}, added to its pipeline the first time it is asked for. */
    public static WritabilityNotifier of(Channel channel) {
        WritabilityNotifier notifier = channel.pipeline().get(WritabilityNotifier.class);
        if (notifier == null) {
            notifier = new WritabilityNotifier();
            channel.pipeline().addFirst(NAME, notifier);
        }
        return notifier;
    }

    /** Runs {@code task} on the channel's event loop once it is writable. */
    public static void whenWritable(Channel channel, Runnable task) {
        channel.eventLoop().execute(() -> {
            if (channel.isWritable() || !channel.isActive()) {
                task.run();
            } else {
                of(channel).waiting.add(task);
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            runAll();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        runAll();
        super.channelInactive(ctx);
    }

    private void runAll() {
        if (waiting.isEmpty()) {
            return;
        }
        List<Runnable> now = new ArrayList<>(waiting);
        waiting.clear();
        now.forEach(Runnable::run);
    }
}
