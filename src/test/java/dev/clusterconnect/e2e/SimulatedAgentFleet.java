package dev.clusterconnect.e2e;

import com.nimbusds.jose.jwk.ECKey;
import dev.clusterconnect.routes.tls.TlsContexts;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load-generator process of {@link AgentFleetBenchmark}: thousands of {@link SimulatedAgent}s
 * on two event-loop threads, driven by one-line commands on standard input so the benchmark can
 * connect them in steps and read counters between its measurements of the relay. Answers are
 * standard output lines starting with {@value #ANSWER} (anything else there is log output).
 *
 * <pre>
 * connect N   dial agents until N are connected (at most `concurrency` handshakes at a time)
 * frames      WebSocket messages received from the relay so far, tunnels open and lost
 * quit        close every tunnel and exit
 * </pre>
 *
 * Arguments: relay URL (wss://host:port/agent/v1/connect), relay CA file, keys file (from
 * {@link FleetEnrollment}), heartbeat interval ms, heartbeat timeout ms, concurrent handshakes.
 */
public final class SimulatedAgentFleet {

    static final String ANSWER = "FLEET ";

    private final SimulatedAgent.Target target;
    private final List<String> keys;
    private final Semaphore handshakes;
    private final int concurrency;
    private final LongAdder framesFromRelay;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private int dialed;

    private SimulatedAgentFleet(
            SimulatedAgent.Target target, LongAdder framesFromRelay, List<String> keys, int concurrency) {
        this.target = target;
        this.framesFromRelay = framesFromRelay;
        this.keys = keys;
        this.concurrency = concurrency;
        this.handshakes = new Semaphore(concurrency);
    }

    public static void main(String[] args) throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("fleet-io", true));
        TunnelSettings settings = TunnelSettings.defaults()
                .withHeartbeat(Duration.ofMillis(Long.parseLong(args[3])), Duration.ofMillis(Long.parseLong(args[4])));
        LongAdder frames = new LongAdder();
        SimulatedAgent.Target target = new SimulatedAgent.Target(
                URI.create(args[0]), TlsContexts.client(Path.of(args[1])), settings, group, new FrameCounter(frames));
        SimulatedAgentFleet fleet = new SimulatedAgentFleet(
                target, frames, Files.readAllLines(Path.of(args[2])), Integer.parseInt(args[5]));
        fleet.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void serve(BufferedReader commands) throws Exception {
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "connect" -> connect(Integer.parseInt(words[1]));
                case "frames" ->
                    answer("frames " + framesFromRelay.sum() + " open " + open.get() + " lost " + lost.get());
                case "quit" -> {
                    return;
                }
                default -> answer("unknown " + line);
            }
        }
    }

    /** Dials until {@code total} agents were dialed, then waits for the last handshakes. */
    private void connect(int total) throws InterruptedException, ParseException {
        long start = System.nanoTime();
        int failedBefore = failed.get();
        for (; dialed < Math.min(total, keys.size()); dialed++) {
            String[] line = keys.get(dialed).split("\t", 2);
            ECKey key = ECKey.parse(line[1]);
            handshakes.acquire();
            SimulatedAgent.dial(target, line[0], key).addListener(done -> {
                if (done.isSuccess()) {
                    open.incrementAndGet();
                    ((Channel) done.getNow()).closeFuture().addListener(closed -> {
                        open.decrementAndGet();
                        lost.incrementAndGet();
                    });
                } else if (failed.incrementAndGet() <= 5) {
                    System.err.println("agent " + line[0] + " failed: " + done.cause());
                }
                // Last: the count must be up to date when connect() sees every permit back.
                handshakes.release();
            });
        }
        handshakes.acquire(concurrency);
        handshakes.release(concurrency);
        answer("connected " + open.get() + " failed " + (failed.get() - failedBefore) + " ms "
                + (System.nanoTime() - start) / 1_000_000 + " lost " + lost.get());
    }

    private static void answer(String text) {
        System.out.println(ANSWER + text);
        System.out.flush();
    }

    /** Counts every WebSocket message the relay sends: PINGs and the PONGs to the agents' PINGs. */
    @ChannelHandler.Sharable
    private static final class FrameCounter extends ChannelInboundHandlerAdapter {

        private final LongAdder count;

        FrameCounter(LongAdder count) {
            this.count = count;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            count.increment();
            ctx.fireChannelRead(msg);
        }
    }
}
