package dev.clusterconnect.routes.stream;

/**
 * One direction of an HTTP exchange's bytes, pushed with back pressure into a {@link ByteSink}.
 *
 * <p>Nothing is delivered before {@link #start(ByteSink)}; what arrived earlier is held (bounded by
 * one socket read or one flow-control window) and delivered first.
 */
public interface ByteSource {

    /** Starts delivering into {@code sink}; returns at once. Call at most once. */
    void start(ByteSink sink);

    /** The consumer went away: stop reading and release everything. Safe to call repeatedly. */
    void cancel(String reason);

    /** A source with no bytes at all: ends the sink as soon as it starts. */
    ByteSource EMPTY = new ByteSource() {
        @Override
        public void start(ByteSink sink) {
            sink.end();
        }

        @Override
        public void cancel(String reason) {}
    };
}
