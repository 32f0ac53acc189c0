package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The heads of one {@code kubectl get pods} through {@link FrameCodec}: the relay writing the OPEN
 * and the agent reading it, the agent writing the HEADERS and the relay reading them. Once per
 * request each, so their cost matters for small requests, where the body is a few hundred bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeadFrameBenchmark {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int STREAM = 7;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final RequestHead request = TypicalHeads.kubectlGet();
    private final ResponseHead response = TypicalHeads.apiserverJson();
    private ByteBuf openMessage;
    private ByteBuf headersMessage;

    @Setup(Level.Trial)
    public void setUp() {
        openMessage = FrameCodec.open(alloc, STREAM, request, MAX_HEADER_BYTES);
        headersMessage = FrameCodec.headers(alloc, STREAM, response, MAX_HEADER_BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        openMessage.release();
        headersMessage.release();
    }

    @Benchmark
    public int encodeOpen() {
        return releasedLength(FrameCodec.open(alloc, STREAM, request, MAX_HEADER_BYTES));
    }

    @Benchmark
    public RequestHead decodeOpen() throws MalformedFrameException {
        Frame frame = FrameCodec.decode(openMessage.duplicate());
        try {
            return FrameCodec.readRequestHead(frame.payload());
        } finally {
            frame.payload().release();
        }
    }

    @Benchmark
    public int encodeHeaders() {
        return releasedLength(FrameCodec.headers(alloc, STREAM, response, MAX_HEADER_BYTES));
    }

    @Benchmark
    public ResponseHead decodeHeaders() throws MalformedFrameException {
        Frame frame = FrameCodec.decode(headersMessage.duplicate());
        try {
            return FrameCodec.readResponseHead(frame.payload());
        } finally {
            frame.payload().release();
        }
    }

    private static int releasedLength(ByteBuf frame) {
        int length = frame.readableBytes();
        frame.release();
        return length;
    }
}
