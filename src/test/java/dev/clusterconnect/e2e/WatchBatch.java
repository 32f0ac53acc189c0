package dev.clusterconnect.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One set of watches on one target, each on its own connection as separate kubectl processes
 * would hold them, all served by the generator's few I/O threads.
 */
final class WatchBatch {

    /**
     * Connections whose response head has not come yet. Bounded so the servers' accept backlogs
     * and TLS handshakes are not flooded: a SYN dropped by a full backlog costs a one-second retry.
     */
    private static final int OPENING_AT_ONCE = 32;
    /** On a loaded 2-core machine a queued handshake can take longer than Netty's 10 s default. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 60_000;

    private final URI base;
    private final String token;
    private final SslContext tls;
    private final EventLoopGroup group;
    private final Semaphore opening = new Semaphore(OPENING_AT_ONCE);
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedEarly = new AtomicInteger();
    private final List<Channel> channels = new ArrayList<>();
    private final Latencies latencies;
    private volatile boolean closing;

    WatchBatch(URI base, String token, SslContext tls, EventLoopGroup group, int expectedEvents) {
        this.base = base;
        this.token = token;
        this.tls = tls;
        this.group = group;
        this.latencies = new Latencies(expectedEvents);
    }

    /** Opens watch {@code i} on namespace {@code <prefix><i>} for each i; returns once every one has its head or failed. */
    void openAll(int count, String namespacePrefix) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            opening.acquire();
            String path = base.getRawPath() + "/api/v1/namespaces/" + namespacePrefix + i + "/configmaps?watch=true";
            ChannelFuture connect = bootstrap(path).connect(base.getHost(), base.getPort());
            synchronized (channels) {
                channels.add(connect.channel());
            }
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    headDone(false, f.cause().toString());
                }
            });
        }
        // every permit back: each connection got its head or failed
        opening.acquire(OPENING_AT_ONCE);
        opening.release(OPENING_AT_ONCE);
    }

    private Bootstrap bootstrap(String path) {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler handler = tls.newHandler(ch.alloc(), base.getHost(), base.getPort());
                        handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
                        ch.pipeline().addLast("tls", handler);
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline()
                                .addLast("watch", new WatchEventReader(base.getHost(), path, token, WatchBatch.this));
                    }
                });
    }

    int opened() {
        return opened.get();
    }

    int failed() {
        return failed.get();
    }

    /** The response head came (or the connection failed first): the next connection may start. */
    void headDone(boolean ok, String problem) {
        (ok ? opened : failed).incrementAndGet();
        if (!ok && failed.get() <= 5) {
            System.err.println("watch refused: " + problem);
        }
        opening.release();
    }

    void failed(Throwable cause) {
        if (failed.get() <= 5) {
            System.err.println("watch connection failed: " + cause);
        }
    }

    void eventRead(long readMicros, long writtenMicros) {
        latencies.add(readMicros - writtenMicros);
    }

    void connectionClosed(boolean hadHead) {
        if (hadHead && !closing) {
            closedEarly.incrementAndGet();
        }
    }

    /** {@code <received> <p50 µs> <p99 µs> <max µs> <closed early>} once the expected events came, or none came for a while. */
    String result(int expected) throws InterruptedException {
        int last = -1;
        long quietSince = System.nanoTime();
        while (latencies.count() < expected) {
            int now = latencies.count();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(15)) {
                break; // lost events are a finding, not a hang
            }
            Thread.sleep(50);
        }
        return latencies.summary() + " " + closedEarly.get();
    }

    /** Closes every connection and waits until each is closed. */
    void close() {
        closing = true;
        List<Channel> all;
        synchronized (channels) {
            all = new ArrayList<>(channels);
            channels.clear();
        }
        all.forEach(Channel::close);
        all.forEach(channel -> channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS));
    }
}
