package dev.clusterconnect.sandbox.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.pod.PodProcess;
import dev.clusterconnect.sandbox.store.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * One exec or attach, independent of the transport: runs the pod process on a thread of its own,
 * feeds it the client's stdin and hands its output and final status to the transport.
 */
public final class ExecSession {

    /** Channel numbers of the remotecommand protocol. */
    static final int STDOUT = 1;

    static final int STDERR = 2;

    /** Output chunk size: below the WebSocket frame and SPDY window limits. */
    private static final int CHUNK = 32 * 1024;

    /** How output and the end of the process reach the client. */
    interface Transport {
        /** Data for stdout ({@link #STDOUT}) or stderr ({@link #STDERR}); called on the process thread. */
        void send(int channel, byte[] data);

        /** The process ended: write {@code status} on the error channel and close the streams. */
        void finish(ObjectNode status);
    }

    private final StdinPipe stdin = new StdinPipe();
    private final Transport transport;
    private final List<String> command;
    private final boolean tty;
    private Future<?> running;

    /** With {@code tty}, stderr is merged into stdout: a terminal has one output stream. */
    ExecSession(Transport transport, List<String> command, boolean tty) {
        this.transport = transport;
        this.command = List.copyOf(command);
        this.tty = tty;
    }

    void start(ExecutorService executor, PodProcess process, boolean withStdin) {
        if (!withStdin) {
            stdin.end();
        }
        try {
            running = executor.submit(() -> run(process));
        } catch (RejectedExecutionException e) {
            transport.finish(failure("InternalError", "the sandbox is shutting down", null));
        }
    }

    void stdin(byte[] data) {
        stdin.offer(data);
    }

    void stdinClosed() {
        stdin.end();
    }

    /** The client went away: stop the process. */
    void cancel() {
        stdin.end();
        if (running != null) {
            running.cancel(true);
        }
    }

    private void run(PodProcess process) {
        try (OutputStream out = output(STDOUT);
                OutputStream err = output(STDERR)) {
            int exit;
            try {
                exit = process.run(stdin, out, err);
            } finally {
                out.flush();
                err.flush();
            }
            transport.finish(
                    exit == 0
                            ? success()
                            : failure(
                                    "NonZeroExitCode",
                                    "command terminated with non-zero exit code: error executing command ["
                                            + String.join(" ", command) + "], exit code " + exit,
                                    Integer.toString(exit)));
        } catch (InterruptedException | InterruptedIOException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            transport.finish(failure(
                    "InternalError", "error executing command [" + String.join(" ", command) + "]: " + e, null));
        }
    }

    private OutputStream output(int requested) {
        int channel = tty ? STDOUT : requested;
        OutputStream raw = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] data, int offset, int length) {
                if (length > 0) {
                    transport.send(channel, Arrays.copyOfRange(data, offset, offset + length));
                }
            }
        };
        return new BufferedOutputStream(raw, CHUNK);
    }

    static ObjectNode success() {
        ObjectNode status = Json.object();
        status.putObject("metadata");
        return status.put("status", "Success");
    }

    static ObjectNode failure(String reason, String message, String exitCode) {
        ObjectNode status = Json.object();
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason);
        if (exitCode != null) {
            status.putObject("details")
                    .putArray("causes")
                    .addObject()
                    .put("reason", "ExitCode")
                    .put("message", exitCode);
        }
        return status;
    }
}
