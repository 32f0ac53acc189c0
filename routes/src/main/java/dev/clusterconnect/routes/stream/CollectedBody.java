package dev.clusterconnect.routes.stream;

import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A small request body read whole (the relay's JSON endpoints), bounded in size: completes with
 * the bytes at the end, or exceptionally with a 413 Status as soon as it outgrows the bound
 * (the rest is read and dropped) and with a 400 when the body is cut short.
 */
public final class CollectedBody implements ByteSink {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final int maxBytes;

    private CollectedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Starts reading {@code source}; the future completes when its body has arrived. */
    public static CompletableFuture<byte[]> of(ByteSource source, int maxBytes) {
        CollectedBody sink = new CollectedBody(maxBytes);
        source.start(sink);
        return sink.done;
    }

    @Override
    public void write(ByteBuf data, Runnable flushed) {
        try {
            if (bytes.size() + data.readableBytes() > maxBytes) {
                done.completeExceptionally(
                        new KubeStatusException(413, "the request body is larger than " + maxBytes + " bytes"));
            } else if (!done.isDone()) {
                data.readBytes(bytes, data.readableBytes());
            }
        } catch (java.io.IOException impossible) {
            done.completeExceptionally(impossible);
        } finally {
            data.release();
            if (flushed != null) {
                flushed.run();
            }
        }
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void whenWritable(Runnable resume) {
        resume.run();
    }

    @Override
    public void end() {
        done.complete(bytes.toByteArray());
    }

    @Override
    public void abort(String reason) {
        done.completeExceptionally(new KubeStatusException(400, "the request body was cut short"));
    }
}
