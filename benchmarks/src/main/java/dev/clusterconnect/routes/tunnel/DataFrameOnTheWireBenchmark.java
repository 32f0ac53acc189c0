package dev.clusterconnect.routes.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A DATA frame as far as the WebSocket encoder, below TLS. The agent dials the relay, so its frames
 * are client frames, which RFC 6455 masks: the encoder XORs every payload byte into a new buffer,
 * eight bytes at a time. The relay's frames are not masked: above 1 KiB the encoder writes its
 * header and passes the frame on without a copy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DataFrameOnTheWireBenchmark {

    private static final int STREAM = 7;

    @Param({"16", "1024", "65536"})
    public int payloadBytes;

    /** true: as the agent writes (client, masked); false: as the relay writes. */
    @Param({"true", "false"})
    public boolean masked;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf payload;
    private EmbeddedChannel channel;

    @Setup(Level.Trial)
    public void setUp() {
        payload = alloc.directBuffer(payloadBytes).writeZero(payloadBytes);
        channel = new EmbeddedChannel(new WebSocket08FrameEncoder(masked));
        channel.config().setAllocator(alloc);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        payload.release();
    }

    @Benchmark
    public int encode() {
        channel.writeOutbound(new BinaryWebSocketFrame(FrameCodec.data(alloc, STREAM, payload.retainedDuplicate())));
        int bytes = 0;
        for (Object out; (out = channel.readOutbound()) != null; ) {
            bytes += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }
}
