package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving half of a stream: hands DATA to the sink and returns credit once the sink has
 * written the bytes out. Never pauses the tunnel: the peer cannot send more than the window, so
 * what is held here is bounded by it.
 */
final class InboundWindow implements ByteSource {

    private static final Object END = new Object();

    private final TunnelStream stream;
    private final int window;
    private final int creditBatch;
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private final AtomicInteger unsentCredit = new AtomicInteger();
    private ByteSink sink;
    /** Bytes received minus credit granted back (event loop). */
    private long outstanding;

    private boolean finished;

    InboundWindow(TunnelStream stream, int window) {
        this.stream = stream;
        this.window = window;
        // Return credit in batches, but well before the sender runs dry.
        this.creditBatch = Math.max(1, window / 4);
    }

    /** A DATA frame arrived (event loop); false when it broke the window. */
    boolean onData(ByteBuf data) {
        outstanding += data.readableBytes();
        if (outstanding > window) {
            data.release();
            return false;
        }
        if (finished) {
            data.release();
        } else if (sink == null) {
            early.add(data);
        } else {
            deliver(data);
        }
        return true;
    }

    void onEnd() {
        if (finished) {
            return;
        }
        finished = true;
        if (sink == null) {
            early.add(END);
        } else {
            sink.end();
        }
    }

    /** The stream died: the sink's side is aborted (event loop). */
    void onReset(String reason) {
        if (finished) {
            return;
        }
        finished = true;
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        if (sink != null) {
            sink.abort(reason);
        }
    }

    @Override
    public void start(ByteSink sink) {
        stream.session().execute(() -> {
            this.sink = sink;
            while (!early.isEmpty()) {
                Object next = early.poll();
                if (next == END) {
                    sink.end();
                } else {
                    deliver((ByteBuf) next);
                }
            }
            if (finished && stream.isReset()) {
                sink.abort("stream reset");
            }
        });
    }

    @Override
    public void cancel(String reason) {
        stream.reset(ResetCode.CANCEL, reason);
    }

    private void deliver(ByteBuf data) {
        int n = data.readableBytes();
        sink.write(data, () -> returnCredit(n));
    }

    private void returnCredit(int n) {
        int total = unsentCredit.addAndGet(n);
        if (total >= creditBatch && unsentCredit.compareAndSet(total, 0)) {
            stream.session().execute(() -> {
                outstanding -= total;
                stream.session().sendWindow(stream.id(), total);
            });
        }
    }
}
