package dev.clusterconnect.routes.component;

import io.netty.channel.ChannelHandler;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Coalesces the flushes of one event-loop turn into one socket write. A small response otherwise
 * leaves as head, body and end in three TLS records and three system calls per hop (and a tunnel
 * stream as OPEN, END, HEADERS, DATA, END and WINDOW frames, each its own record): measured in
 * {@code docs/benchmarks.md}, this is most of the per-request cost. Nothing waits for more data:
 * the flush happens at the end of the current read or task batch, in the same loop turn.
 *
 * <p>Goes directly above the TLS handler (or where it would be), so everything written above it
 * is coalesced before encryption.
 */
public final class Flushes {

    public static final String NAME = "flushes";

    private Flushes() {}

    public static ChannelHandler consolidating() {
        return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    }
}
