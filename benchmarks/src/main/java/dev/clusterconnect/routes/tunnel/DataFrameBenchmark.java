package dev.clusterconnect.routes.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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
 * One DATA frame through {@link FrameCodec} at three payload sizes, with the pooled allocator the
 * Netty channels use. Encoding copies the payload behind the 5-byte header into one pooled buffer
 * (so the agent's WebSocket masking reads contiguous memory), so its cost grows with the size;
 * decoding takes a slice and should cost the same at every size. In the codec's package because
 * it is package-private; every frame made is released again, as the session does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DataFrameBenchmark {

    private static final int STREAM = 7;

    @Param({"16", "1024", "65536"})
    public int payloadBytes;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf payload;
    private ByteBuf message;

    @Setup(Level.Trial)
    public void setUp() {
        payload = alloc.directBuffer(payloadBytes).writeZero(payloadBytes);
        message = FrameCodec.data(alloc, STREAM, payload.retainedDuplicate());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
        message.release();
    }

    /** As the session writes it: a 5-byte header in front of the payload; the codec releases the duplicate. */
    @Benchmark
    public int encode() {
        ByteBuf frame = FrameCodec.data(alloc, STREAM, payload.retainedDuplicate());
        int length = frame.readableBytes();
        frame.release();
        return length;
    }

    /** As the session reads it: type, stream and a retained slice of the payload. */
    @Benchmark
    public int decode() {
        Frame frame = FrameCodec.decode(message.duplicate());
        int length = frame.payload().readableBytes();
        frame.payload().release();
        return length;
    }
}
