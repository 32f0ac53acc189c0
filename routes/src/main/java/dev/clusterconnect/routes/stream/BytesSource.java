package dev.clusterconnect.routes.stream;

import io.netty.buffer.Unpooled;

/** A short body already in memory: a Status error, a generated kubeconfig. */
public final class BytesSource implements ByteSource {

    private final byte[] bytes;

    public BytesSource(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public void start(ByteSink sink) {
        if (bytes.length > 0) {
            sink.write(Unpooled.wrappedBuffer(bytes), null);
        }
        sink.end();
    }

    @Override
    public void cancel(String reason) {}
}
