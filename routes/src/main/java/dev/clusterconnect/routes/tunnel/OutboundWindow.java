package dev.clusterconnect.routes.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The sending half of a stream: queues what the source wrote and sends it as DATA frames while
 * the peer has granted credit.
 *
 * <p>Writers may be on any thread; frames are only ever sent from the tunnel's event loop
 * ({@link #drain()}), which is what keeps a stream's bytes in order.
 */
final class OutboundWindow implements dev.clusterconnect.routes.stream.ByteSink {

    private final TunnelStream stream;
    private final int maxDataBytes;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    /** Window minus what is queued: what a writer may still add before it should pause. */
    private long credit;
    /** Bytes the peer allows us to send now (event loop only). */
    private long sendWindow;

    private boolean endQueued;
    private boolean endSent;
    private boolean closed;
    private Runnable waiter;
    private long waitingSince;
    private boolean drainScheduled;

    OutboundWindow(TunnelStream stream, int initialWindow, int maxDataBytes) {
        this.stream = stream;
        this.credit = initialWindow;
        this.sendWindow = initialWindow;
        this.maxDataBytes = maxDataBytes;
    }

    @Override
    public void write(ByteBuf data, Runnable flushed) {
        synchronized (this) {
            if (closed || endQueued) {
                ReferenceCountUtil.release(data);
            } else {
                queue.add(data);
                credit -= data.readableBytes();
            }
        }
        scheduleDrain();
        if (flushed != null) {
            flushed.run();
        }
    }

    @Override
    public synchronized boolean isWritable() {
        return closed || credit > 0;
    }

    @Override
    public void whenWritable(Runnable resume) {
        synchronized (this) {
            if (!closed && credit <= 0) {
                waiter = resume;
                waitingSince = System.nanoTime();
                return;
            }
        }
        resume.run();
    }

    @Override
    public void end() {
        synchronized (this) {
            endQueued = true;
        }
        scheduleDrain();
    }

    @Override
    public void abort(String reason) {
        stream.reset(ResetCode.CANCEL, reason);
    }

    /** The peer granted more credit (event loop). */
    void grant(int increment) {
        synchronized (this) {
            credit += increment;
        }
        sendWindow += increment;
        drain();
    }

    /** The stream is gone: drop what is queued and wake a paused writer so it can notice. */
    void close() {
        Runnable toRun;
        synchronized (this) {
            closed = true;
            queue.forEach(ReferenceCountUtil::release);
            queue.clear();
            toRun = waiter;
            waiter = null;
        }
        if (toRun != null) {
            toRun.run();
        }
    }

    private void scheduleDrain() {
        synchronized (this) {
            if (drainScheduled) {
                return;
            }
            drainScheduled = true;
        }
        stream.session().enqueue(this::drain);
    }

    private void drain() {
        Runnable toRun = null;
        boolean sendEnd = false;
        synchronized (this) {
            drainScheduled = false;
            while (!closed && sendWindow > 0 && !queue.isEmpty()) {
                ByteBuf head = queue.peek();
                int n = (int) Math.min(Math.min(sendWindow, maxDataBytes), head.readableBytes());
                ByteBuf chunk = head.readRetainedSlice(n);
                if (!head.isReadable()) {
                    queue.poll().release();
                }
                sendWindow -= n;
                stream.session().sendData(stream.id(), chunk);
            }
            if (!closed && queue.isEmpty() && endQueued && !endSent) {
                endSent = true;
                sendEnd = true;
            }
            if (waiter != null && (closed || credit > 0)) {
                toRun = waiter;
                waiter = null;
                dev.clusterconnect.routes.metrics.Metrics.creditWait(System.nanoTime() - waitingSince);
            }
        }
        if (sendEnd) {
            stream.localEnded();
        }
        if (toRun != null) {
            toRun.run();
        }
    }
}
