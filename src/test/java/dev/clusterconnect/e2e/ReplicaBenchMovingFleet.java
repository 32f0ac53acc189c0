package dev.clusterconnect.e2e;

import com.nimbusds.jose.jwk.ECKey;
import dev.clusterconnect.routes.tls.TlsContexts;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of {@link ReplicaDrainBenchmark}: {@link SimulatedAgent}s that move when their
 * relay drains, the way the agent's {@code RelayConnection} does. On GOAWAY an agent dials its next
 * tunnel at once (to the load balancer: one of the {@code move} URLs) while the old one stays
 * open; a dial that fails is retried with the agent's backoff (full jitter from 0.5 s, doubling to
 * 30 s); once the new tunnel is up the agent closes the old one (it has no streams). A tunnel the
 * relay closed before its successor was up is counted: a moment the cluster had no tunnel
 * anywhere. Driven by one-line commands on standard input,
 * answers on standard output after {@value SimulatedAgentFleet#ANSWER}, as {@link SimulatedAgentFleet}.
 *
 * <pre>
 * connect N   dial agents to the first URL until N are connected (at most `concurrency` handshakes at a time)
 * moves       how the moves went so far (see {@link #moves})
 * quit        exit
 * </pre>
 *
 * Arguments: first URL, move URLs (comma-separated, agent i takes the (i % count)th), relay CA file, keys file, heartbeat interval ms, heartbeat timeout ms,
 * concurrent handshakes for {@code connect}.
 */
public final class ReplicaBenchMovingFleet {

    private static final AttributeKey<Agent> AGENT = AttributeKey.valueOf("bench-agent");
    private static final int GOAWAY = 9; // FrameType.GOAWAY's code: the first byte of the message (docs/protocol.md)
    private static final long BACKOFF_BASE_MS = 500;
    private static final long BACKOFF_CAP_MS = 30_000;

    private final SimulatedAgent.Target first;
    /** Agent {@code i} moves through {@code moves[i % size]}: several load-balancer nodes. */
    private final List<SimulatedAgent.Target> moves = new ArrayList<>();

    private final NioEventLoopGroup group;
    private final List<Agent> agents = new ArrayList<>();
    private final int concurrency;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger goAways = new AtomicInteger();
    private final AtomicInteger moved = new AtomicInteger();
    private final AtomicInteger failedDials = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger closedFirst = new AtomicInteger();
    private final AtomicLong firstGoAway = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastGoAway = new AtomicLong();
    private final AtomicLong lastMoved = new AtomicLong();
    private final List<Long> moveMillis = Collections.synchronizedList(new ArrayList<>());
    /** From the moment an event loop started an agent's successful move dial to its 101. */
    private final List<Long> dialMillis = Collections.synchronizedList(new ArrayList<>());

    private final AtomicLong lastDialStarted = new AtomicLong();

    private ReplicaBenchMovingFleet(String[] args, NioEventLoopGroup group) throws Exception {
        this.group = group;
        TunnelSettings settings = TunnelSettings.defaults()
                .withHeartbeat(Duration.ofMillis(Long.parseLong(args[4])), Duration.ofMillis(Long.parseLong(args[5])));
        var tls = TlsContexts.client(Path.of(args[2]));
        GoAwayWatch watch = new GoAwayWatch();
        this.first = new SimulatedAgent.Target(URI.create(args[0]), tls, settings, group, watch);
        for (String url : args[1].split(",")) {
            moves.add(new SimulatedAgent.Target(URI.create(url), tls, settings, group, watch));
        }
        this.concurrency = Integer.parseInt(args[6]);
        for (String line : Files.readAllLines(Path.of(args[3]))) {
            String[] parts = line.split("\t", 2);
            agents.add(new Agent(parts[0], ECKey.parse(parts[1]), moves.get(agents.size() % moves.size())));
        }
    }

    public static void main(String[] args) throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("fleet-io", true));
        new ReplicaBenchMovingFleet(args, group)
                .serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void serve(BufferedReader commands) throws Exception {
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "connect" -> connect(Integer.parseInt(words[1]));
                case "moves" -> answer(moves());
                case "quit" -> {
                    return;
                }
                default -> answer("unknown " + line);
            }
        }
    }

    /** Dials the first {@code total} agents to the first URL and waits for the last handshakes. */
    private void connect(int total) throws InterruptedException {
        long start = System.nanoTime();
        Semaphore handshakes = new Semaphore(concurrency);
        AtomicInteger failed = new AtomicInteger();
        for (Agent agent : agents.subList(0, Math.min(total, agents.size()))) {
            handshakes.acquire();
            SimulatedAgent.dial(first, agent.clusterId, agent.key).addListener(done -> {
                if (done.isSuccess()) {
                    agent.up((Channel) done.getNow());
                } else if (failed.incrementAndGet() <= 5) {
                    System.err.println("agent " + agent.clusterId + " failed: " + done.cause());
                }
                handshakes.release();
            });
        }
        handshakes.acquire(concurrency);
        answer("connected " + open.get() + " failed " + failed.get() + " ms "
                + (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * "moves M goaways G open O lastDialStarted E dialP50 P dialP99 P firstGoAway E lastGoAway E
     * lastMoved E p50 P p90 P p99 P max P failedDials F refused R closedFirst C": E are epoch
     * milliseconds (the benchmark's clock is the same machine's); p50..max the per-agent
     * milliseconds from its GOAWAY to its new tunnel's 101; dialP50, dialP99 from the moment an
     * event loop started that successful dial (the rest is this simulator's own queue).
     */
    private String moves() {
        List<Long> sorted = sorted(moveMillis);
        List<Long> dials = sorted(dialMillis);
        return "moves " + moved.get() + " goaways " + goAways.get() + " open " + open.get()
                + " lastDialStarted " + lastDialStarted.get() + " dialP50 " + percentile(dials, 0.50)
                + " dialP99 " + percentile(dials, 0.99)
                + " firstGoAway " + (firstGoAway.get() == Long.MAX_VALUE ? 0 : firstGoAway.get()) + " lastGoAway "
                + lastGoAway.get()
                + " lastMoved " + lastMoved.get() + " p50 " + percentile(sorted, 0.50) + " p90 "
                + percentile(sorted, 0.90)
                + " p99 " + percentile(sorted, 0.99) + " max " + percentile(sorted, 1.0) + " failedDials "
                + failedDials.get()
                + " refused " + refused.get() + " closedFirst " + closedFirst.get();
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy;
        synchronized (values) {
            copy = new ArrayList<>(values);
        }
        Collections.sort(copy);
        return copy;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static void answer(String text) {
        System.out.println(SimulatedAgentFleet.ANSWER + text);
        System.out.flush();
    }

    /**
     * One agent's tunnel state, as RelayConnection keeps it: the current tunnel, whether a dial is
     * under way, the backoff. Events arrive on both event loops, hence the lock.
     */
    private final class Agent {

        final String clusterId;
        final ECKey key;
        final SimulatedAgent.Target move;
        private Channel current;
        private boolean dialing;
        private boolean retryScheduled;
        private int attempt;
        private long goAwayNanos;
        private boolean movedOnce;

        Agent(String clusterId, ECKey key, SimulatedAgent.Target move) {
            this.clusterId = clusterId;
            this.key = key;
            this.move = move;
        }

        synchronized void up(Channel channel) {
            Channel previous = current;
            current = channel;
            // Make before break, as RelayConnection: the drained predecessor (no streams here) closes
            // once its successor is up; its close listener then finds it is not current.
            if (previous != null && previous != channel) {
                previous.close();
            }
            open.incrementAndGet();
            channel.attr(AGENT).set(this);
            channel.closeFuture().addListener(closed -> closed(channel));
            if (goAwayNanos != 0 && !movedOnce) {
                movedOnce = true;
                moveMillis.add((System.nanoTime() - goAwayNanos) / 1_000_000);
                moved.incrementAndGet();
                lastMoved.accumulateAndGet(System.currentTimeMillis(), Math::max);
            }
        }

        /** The relay drains: dial the next tunnel now, keep the old one until the relay closes it. */
        synchronized void goAway(Channel channel) {
            if (channel != current || goAwayNanos != 0) {
                return;
            }
            goAwayNanos = System.nanoTime();
            long now = System.currentTimeMillis();
            goAways.incrementAndGet();
            firstGoAway.accumulateAndGet(now, Math::min);
            lastGoAway.accumulateAndGet(now, Math::max);
            attempt = 0;
            dial();
        }

        private synchronized void closed(Channel channel) {
            open.decrementAndGet();
            if (channel != current) {
                return; // the drained predecessor of a tunnel that is already up
            }
            current = null;
            if (goAwayNanos != 0 && !movedOnce) {
                closedFirst.incrementAndGet();
            }
            if (!dialing && !retryScheduled) {
                retryLater();
            }
        }

        private void dial() {
            if (dialing) {
                return;
            }
            dialing = true;
            // A task of its own on the event loops, as RelayConnection's group.execute(this::dial): the
            // loops go on reading the GOAWAYs still to come between dials. (One dialer thread of
            // its own was measured to start the last of 10,000 dials 43 s after the GOAWAYs.)
            group.execute(() -> {
                long started = System.nanoTime();
                lastDialStarted.accumulateAndGet(System.currentTimeMillis(), Math::max);
                SimulatedAgent.dial(move, clusterId, key)
                        .addListener(done ->
                                dialed(done.isSuccess() ? (Channel) done.getNow() : null, done.cause(), started));
            });
        }

        private synchronized void dialed(Channel channel, Throwable cause, long started) {
            dialing = false;
            if (channel != null) {
                if (goAwayNanos != 0 && !movedOnce) {
                    dialMillis.add((System.nanoTime() - started) / 1_000_000);
                }
                up(channel);
                return;
            }
            if (String.valueOf(cause).contains("HTTP 503")) {
                refused.incrementAndGet();
            }
            if (failedDials.incrementAndGet() <= 5) {
                System.err.println("agent " + clusterId + " could not move: " + cause);
            }
            retryLater();
        }

        private void retryLater() {
            long ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(attempt, 20));
            attempt++;
            retryScheduled = true;
            group.schedule(
                    () -> {
                        synchronized (this) {
                            retryScheduled = false;
                            if (current == null || !movedOnce) {
                                dial();
                            }
                        }
                    },
                    ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Sees every WebSocket message a relay sends, before the tunnel session does: reports each GOAWAY to its agent. */
    @ChannelHandler.Sharable
    private static final class GoAwayWatch extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof BinaryWebSocketFrame frame) {
                ByteBuf content = frame.content();
                if (content.isReadable() && content.getUnsignedByte(content.readerIndex()) == GOAWAY) {
                    Agent agent = ctx.channel().attr(AGENT).get();
                    if (agent != null) {
                        agent.goAway(ctx.channel());
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
