package dev.clusterconnect.routes.component;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The I/O threads of one component: created on first use (a component nobody uses starts none),
 * named for thread dumps, and gone when the component stops.
 */
public final class IoThreads {

    private final String name;
    private EventLoopGroup group;

    /** @param name thread name prefix, e.g. {@code tunnel-io} */
    public IoThreads(String name) {
        this.name = name;
    }

    public synchronized EventLoopGroup group() {
        if (group == null) {
            group = new NioEventLoopGroup(0, new DefaultThreadFactory(name, true));
        }
        return group;
    }

    /** Stops the threads; open connections are closed. A later {@link #group()} starts new ones. */
    public synchronized void shutdown() {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }
}
