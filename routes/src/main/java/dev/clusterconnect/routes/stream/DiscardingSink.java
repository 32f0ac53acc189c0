package dev.clusterconnect.routes.stream;

import io.netty.buffer.ByteBuf;

/**
 * Takes a body nobody needs (a request refused before it reached the apiserver) and lets it flow
 * to its end, so the stream carrying it completes normally instead of being reset.
 */
public final class DiscardingSink implements ByteSink {

    public static final DiscardingSink INSTANCE = new DiscardingSink();

    private DiscardingSink() {}

    @Override
    public void write(ByteBuf data, Runnable flushed) {
        data.release();
        if (flushed != null) {
            flushed.run();
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
    public void end() {}

    @Override
    public void abort(String reason) {}
}
