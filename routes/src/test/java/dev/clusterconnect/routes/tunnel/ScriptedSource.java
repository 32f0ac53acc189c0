package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.buffer.Unpooled;

/**
 * A producer that behaves like a well-mannered socket reader: writes its bytes in chunks while the
 * sink is writable, pauses when it is not, resumes when told, and ends the sink at the end.
 */
final class ScriptedSource implements ByteSource {

    private final byte[] bytes;
    private final int chunk;
    private ByteSink sink;
    private int offset;
    private int pauses;
    private boolean ended;
    private String cancelReason;

    ScriptedSource(byte[] bytes, int chunk) {
        this.bytes = bytes;
        this.chunk = chunk;
    }

    /** {@code length} bytes of a pattern that makes reordering or loss visible. */
    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed + i / 251);
        }
        return bytes;
    }

    @Override
    public void start(ByteSink sink) {
        this.sink = sink;
        pump();
    }

    private void pump() {
        while (cancelReason == null && offset < bytes.length) {
            if (!sink.isWritable()) {
                pauses++;
                sink.whenWritable(this::pump);
                return;
            }
            int n = Math.min(chunk, bytes.length - offset);
            sink.write(Unpooled.copiedBuffer(bytes, offset, n), null);
            offset += n;
        }
        if (cancelReason == null && !ended) {
            ended = true;
            sink.end();
        }
    }

    @Override
    public void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
    }

    /** Bytes handed to the sink so far. */
    int written() {
        return offset;
    }

    int pauses() {
        return pauses;
    }

    boolean isFinished() {
        return ended;
    }

    boolean isCancelled() {
        return cancelReason != null;
    }
}
