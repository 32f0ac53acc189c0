package dev.clusterconnect.relay.audit;

import dev.clusterconnect.relay.store.AuditEvent;
import dev.clusterconnect.relay.store.AuditLog;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit lines on a thread of its own, {@value #THREAD}: a line is a write and a flush
 * to a file or to standard output, and the thread that ends a reply is often an event loop (a
 * streamed reply ends where its last byte is sent), which must never wait for a disk or a log
 * pipe. Lines are written in the order they come. When {@value #MAX_WAITING} wait (the disk
 * stalls), the caller writes its own line: back pressure, not a lost line. {@link #close()} writes
 * the waiting lines, then closes the log.
 */
public final class AuditWriter implements AutoCloseable {

    /** The writer thread's name. */
    public static final String THREAD = "relay-audit";

    static final int MAX_WAITING = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private final AuditLog log;
    private final ThreadPoolExecutor thread;

    public AuditWriter(AuditLog log) {
        this.log = log;
        this.thread = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_WAITING),
                task -> {
                    Thread writer = new Thread(task, THREAD);
                    writer.setDaemon(true);
                    return writer;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Writes the line soon, on the writer thread. */
    public void write(AuditEvent event) {
        thread.execute(() -> writeNow(event));
    }

    private void writeNow(AuditEvent event) {
        try {
            log.record(event);
        } catch (RuntimeException e) {
            // A full disk must not break kubectl; it is loud in the relay's own log instead.
            LOG.error("[{}] could not write the audit line: {}", event.correlationId(), e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.error(
                        "{} audit lines were not written in 10 s; closing the audit log without them",
                        thread.getQueue().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            log.close();
        }
    }
}
