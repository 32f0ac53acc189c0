package dev.clusterconnect.sandbox.pod;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * What {@code kubectl attach} connects to: the container's main process, which writes each line it
 * reads from stdin to its output (so it shows in the pod's log) and exits when stdin ends. An attach
 * sees the output logged from the moment it attached; without stdin it watches until it leaves.
 */
public final class AttachProcess implements PodProcess {

    private final PodLogs logs;
    private final String namespace;
    private final String pod;
    private final boolean withStdin;

    /** The main process of a pod, attached with or without stdin. */
    public AttachProcess(PodLogs logs, String namespace, String pod, boolean withStdin) {
        this.logs = logs;
        this.namespace = namespace;
        this.pod = pod;
        this.withStdin = withStdin;
    }

    @Override
    public int run(InputStream stdin, OutputStream stdout, OutputStream stderr)
            throws IOException, InterruptedException {
        try (AutoCloseable following = logs.follow(namespace, pod, past -> {}, line -> write(stdout, line.text()))) {
            if (!withStdin) {
                // watch until the client leaves: the session interrupts this thread
                new CountDownLatch(1).await();
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                logs.append(namespace, pod, line);
            }
            return 0;
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static void write(OutputStream stdout, String line) {
        try {
            stdout.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdout.flush();
        } catch (IOException e) {
            // the client is gone; the session ends the process
        }
    }
}
