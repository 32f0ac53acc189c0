package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.stream.ByteSink;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer at the end of a stream. A stalled one takes the bytes but never reports them written
 * out, like a kubectl that stopped reading: no flow-control credit goes back until {@link #unstall}.
 */
final class CollectingSink implements ByteSink {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Runnable> unflushed = new ArrayList<>();
    private boolean stalled;
    private boolean ended;
    private String abortReason;

    static CollectingSink stalled() {
        CollectingSink sink = new CollectingSink();
        sink.stalled = true;
        return sink;
    }

    @Override
    public void write(ByteBuf data, Runnable flushed) {
        try {
            data.readBytes(bytes, data.readableBytes());
        } catch (java.io.IOException impossible) {
            throw new AssertionError(impossible);
        } finally {
            data.release();
        }
        if (flushed == null) {
            return;
        }
        if (stalled) {
            unflushed.add(flushed);
        } else {
            flushed.run();
        }
    }

    /** The consumer reads again: everything held is reported written out. */
    void unstall() {
        stalled = false;
        List<Runnable> now = new ArrayList<>(unflushed);
        unflushed.clear();
        now.forEach(Runnable::run);
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
        ended = true;
    }

    @Override
    public void abort(String reason) {
        abortReason = reason;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    int size() {
        return bytes.size();
    }

    boolean isEnded() {
        return ended;
    }

    boolean isAborted() {
        return abortReason != null;
    }

    String abortReason() {
        return abortReason;
    }
}
