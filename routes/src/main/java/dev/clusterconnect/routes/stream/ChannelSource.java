package dev.clusterconnect.routes.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The bytes a channel handler reads from a socket, as a {@link ByteSource}.
 *
 * <p>The handler calls {@link #onData}, {@link #onEnd} and {@link #onFailure} on the channel's
 * event loop. Back pressure stops the socket reading ({@code autoRead}) while the sink is full, so
 * a slow consumer costs at most one read of buffered data here, never an I/O thread.
 */
public final class ChannelSource implements ByteSource {

    private static final Object END = new Object();

    private final Channel channel;
    private final Consumer<String> onCancel;
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private ByteSink sink;
    private boolean ended;
    private boolean cancelled;

    /**
     * @param onCancel what to do with the channel when the consumer goes away (usually close it);
     *     runs on the event loop.
     */
    public ChannelSource(Channel channel, Consumer<String> onCancel) {
        this.channel = channel;
        this.onCancel = onCancel;
    }

    public Channel channel() {
        return channel;
    }

    /** Delivers bytes read from the socket; takes ownership. */
    public void onData(ByteBuf data) {
        if (cancelled || ended) {
            ReferenceCountUtil.release(data);
        } else if (sink == null) {
            early.add(data);
        } else {
            deliver(data);
        }
    }

    /** The socket's side of this direction is complete. */
    public void onEnd() {
        if (cancelled || ended) {
            return;
        }
        ended = true;
        if (sink == null) {
            early.add(END);
        } else {
            sink.end();
        }
    }

    /** The socket failed or closed before the end. */
    public void onFailure(String reason) {
        if (cancelled || ended) {
            return;
        }
        ended = true;
        releaseEarly();
        if (sink != null) {
            sink.abort(reason);
        } else {
            early.add(new Failure(reason));
        }
    }

    public boolean isEnded() {
        return ended;
    }

    @Override
    public void start(ByteSink sink) {
        channel.eventLoop().execute(() -> {
            if (cancelled) {
                sink.abort("cancelled");
                return;
            }
            this.sink = sink;
            while (!early.isEmpty()) {
                Object next = early.poll();
                if (next == END) {
                    sink.end();
                } else if (next instanceof Failure failure) {
                    sink.abort(failure.reason());
                } else {
                    deliver((ByteBuf) next);
                }
            }
            if (!ended && sink.isWritable()) {
                channel.config().setAutoRead(true);
            }
        });
    }

    @Override
    public void cancel(String reason) {
        channel.eventLoop().execute(() -> {
            if (cancelled) {
                return;
            }
            cancelled = true;
            releaseEarly();
            onCancel.accept(reason);
        });
    }

    private void deliver(ByteBuf data) {
        sink.write(data, null);
        if (!sink.isWritable()) {
            channel.config().setAutoRead(false);
            sink.whenWritable(() -> channel.eventLoop().execute(this::resume));
        }
    }

    private void resume() {
        if (!cancelled && !ended && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    private void releaseEarly() {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    private record Failure(String reason) {}
}
