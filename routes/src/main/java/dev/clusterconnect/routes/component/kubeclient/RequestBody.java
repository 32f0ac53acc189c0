package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.buffer.ByteBuf;

/**
 * The client's request body on its way to whichever connection the request is on now. A
 * {@link ByteSource} starts once, so a request sent again on a new connection gets the body's end
 * (or failure) handed over there instead. Bytes cannot be handed over: once one went to a
 * connection, that request is never sent again ({@link #untouched()}).
 *
 * <p>Synchronized because the source delivers on its own thread (in the agent, the tunnel's loop)
 * while a retry moves the body to a connection on another loop: an end lost between the two would
 * leave the new request unfinished and its connection never reusable. Uncontended but for that
 * moment, and never held while waiting for anything.
 */
final class RequestBody implements ByteSink {

    private final ByteSource source;
    private ByteSink target;
    private boolean started;
    private boolean ended;
    private String abortedBecause;
    private long bytes;

    RequestBody(ByteSource source) {
        this.source = source;
    }

    /** Sends the body into {@code sink}: starts the source the first time, hands its end on after. */
    synchronized void sendTo(ByteSink sink) {
        target = sink;
        if (!started) {
            started = true;
            source.start(this);
        } else if (ended) {
            sink.end();
        } else if (abortedBecause != null) {
            sink.abort(abortedBecause);
        }
    }

    /** No byte of the body left and the client did not fail it: sending the request again loses nothing. */
    synchronized boolean untouched() {
        return bytes == 0 && abortedBecause == null;
    }

    /** The request is given up: the client's side stops. */
    void cancel(String reason) {
        source.cancel(reason);
    }

    @Override
    public synchronized void write(ByteBuf data, Runnable flushed) {
        bytes += data.readableBytes();
        target.write(data, flushed);
    }

    @Override
    public synchronized boolean isWritable() {
        return target.isWritable();
    }

    @Override
    public synchronized void whenWritable(Runnable resume) {
        target.whenWritable(resume);
    }

    @Override
    public synchronized void end() {
        ended = true;
        target.end();
    }

    @Override
    public synchronized void abort(String reason) {
        abortedBecause = reason;
        target.abort(reason);
    }
}
