package dev.clusterconnect.routes.stream;

import io.netty.buffer.ByteBuf;

/**
 * Where one direction of an HTTP exchange's bytes goes: a socket, or a stream in the tunnel.
 *
 * <p>Writers respect {@link #isWritable()}: after a write they pause their source when the sink is
 * full and resume from {@link #whenWritable(Runnable)}. A sink accepts the one write that made it
 * full, so a writer never has to split or hold data back.
 */
public interface ByteSink {

    /**
     * Takes ownership of {@code data}.
     *
     * @param flushed run once the bytes have left this process (or can never leave it); may be null.
     *     Tunnel receivers return flow-control credit from here.
     */
    void write(ByteBuf data, Runnable flushed);

    /** False while the writer should pause. */
    boolean isWritable();

    /** Runs {@code resume} once, as soon as the sink is writable (at once if it already is). */
    void whenWritable(Runnable resume);

    /** The source is complete: no more writes follow. */
    void end();

    /** The source failed or went away: the sink releases what it holds and closes its side. */
    void abort(String reason);
}
