package dev.clusterconnect.relay.audit;

import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A {@link ByteSource} that counts the bytes passing through and reports once, with the count,
 * when the stream is over: ended, aborted, or cancelled by its consumer. Adds no buffering, so
 * back pressure works as without it.
 */
final class CountingSource implements ByteSource {

    private final ByteSource delegate;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final LongConsumer onFinish;

    /** @param onFinish receives the byte count once; null for a source that only counts */
    CountingSource(ByteSource delegate, LongConsumer onFinish) {
        this.delegate = delegate;
        this.onFinish = onFinish;
    }

    long bytes() {
        return bytes.get();
    }

    @Override
    public void start(ByteSink sink) {
        delegate.start(new ByteSink() {
            @Override
            public void write(ByteBuf data, Runnable flushed) {
                bytes.addAndGet(data.readableBytes());
                sink.write(data, flushed);
            }

            @Override
            public boolean isWritable() {
                return sink.isWritable();
            }

            @Override
            public void whenWritable(Runnable resume) {
                sink.whenWritable(resume);
            }

            @Override
            public void end() {
                sink.end();
                finish();
            }

            @Override
            public void abort(String reason) {
                sink.abort(reason);
                finish();
            }
        });
    }

    @Override
    public void cancel(String reason) {
        delegate.cancel(reason);
        finish();
    }

    private void finish() {
        if (onFinish != null && finished.compareAndSet(false, true)) {
            onFinish.accept(bytes.get());
        }
    }
}
