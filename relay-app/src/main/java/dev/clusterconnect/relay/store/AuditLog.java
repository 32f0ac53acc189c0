package dev.clusterconnect.relay.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeFormatter;

/**
 * Writes one JSON line per request (JSON Lines), flushed at once so a crash loses at most the
 * request in flight. Kept out of the database on purpose: it grows with traffic, and a file
 * can be shipped and rotated by standard log tooling.
 *
 * <p>Fields: {@code time} (ISO-8601, UTC), {@code caller}, {@code cluster}, {@code verb},
 * {@code path}, {@code status}, {@code bytesIn}, {@code bytesOut}, {@code durationMs},
 * {@code correlationId}. Values are redacted: see {@link AuditEvent}. Thread-safe.
 */
public final class AuditLog implements Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    private final Writer out;

    /** @param out where lines go; the log closes it on {@link #close()} */
    public AuditLog(Writer out) {
        this.out = out;
    }

    /**
     * Opens a log that appends to the file, creating it if missing. Rotate it with a tool that
     * copies and truncates (logrotate's copytruncate), since the file stays open.
     */
    public static AuditLog appendingTo(Path file) throws IOException {
        return new AuditLog(Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE));
    }

    /**
     * Writes the event as one line.
     *
     * @throws UncheckedIOException if the line could not be written
     */
    public void record(AuditEvent event) {
        String line = toJson(event);
        synchronized (out) {
            try {
                out.write(line);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("audit log write failed", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
    }

    // Built in memory first, so a failing event never leaves half a line in the file. The
    // generator escapes control characters: a newline in a path cannot forge a second line.
    private static String toJson(AuditEvent event) {
        StringWriter buffer = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField(
                    "time", event.time() == null ? null : DateTimeFormatter.ISO_INSTANT.format(event.time()));
            json.writeStringField("caller", AuditRedaction.text(event.caller()));
            json.writeStringField("cluster", AuditRedaction.text(event.clusterId()));
            json.writeStringField("verb", AuditRedaction.verb(event.verb()));
            json.writeStringField("path", AuditRedaction.path(event.path()));
            json.writeNumberField("status", event.status());
            json.writeNumberField("bytesIn", event.bytesIn());
            json.writeNumberField("bytesOut", event.bytesOut());
            json.writeNumberField(
                    "durationMs",
                    event.duration() == null ? -1 : event.duration().toMillis());
            json.writeStringField("correlationId", AuditRedaction.text(event.correlationId()));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("audit event could not be serialised", e);
        }
        return buffer.toString();
    }
}
