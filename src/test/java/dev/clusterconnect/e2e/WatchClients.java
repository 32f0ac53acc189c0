package dev.clusterconnect.e2e;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of {@link WatchBenchmark}, in its own JVM: holds thousands of watches open on
 * two Netty I/O threads (one connection per watch, as separate kubectl processes would), and
 * records for every event the time from the apiserver writing it to this process reading it. One
 * JVM serves every phase of a run, so its JIT warm-up is paid once.
 *
 * <p>Commands on standard input, one answer line each on standard output:
 * <ul>
 *   <li>{@code OPEN <base URL> <token file> <CA file> <watches> <namespace prefix> <expected events>}
 *       opens watch {@code i} on {@code <prefix><i>} under {@code <base>} ({@code https://host:port}
 *       or {@code https://relay/clusters/<id>}); answers {@code OPENED <ok> <failed> <seconds> <cpu seconds>}
 *       once every watch has its response head.
 *   <li>{@code RESULT <expected>} answers {@code RESULT <received> <p50 µs> <p99 µs> <max µs> <closed early>}.
 *   <li>{@code CLOSE} closes the watches; answers {@code CLOSED}.
 * </ul>
 * End of input exits.
 */
public final class WatchClients {

    private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("watch-clients", true));
    private WatchBatch batch;

    public static void main(String[] args) throws Exception {
        WatchClients clients = new WatchClients();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            System.out.println(clients.serve(line.trim().split(" ")));
            System.out.flush();
        }
        if (clients.batch != null) {
            clients.batch.close();
        }
        clients.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        System.exit(0);
    }

    private String serve(String[] command) throws Exception {
        return switch (command[0]) {
            case "OPEN" -> open(command);
            case "RESULT" -> "RESULT " + batch.result(Integer.parseInt(command[1]));
            case "CLOSE" -> {
                batch.close();
                batch = null;
                yield "CLOSED";
            }
            default -> "ERROR unknown command " + command[0];
        };
    }

    private String open(String[] command) throws Exception {
        var tls = SslContextBuilder.forClient()
                .trustManager(Path.of(command[3]).toFile())
                .build();
        batch = new WatchBatch(
                URI.create(command[1]),
                Files.readString(Path.of(command[2])).trim(),
                tls,
                group,
                Integer.parseInt(command[6]));
        long started = System.nanoTime();
        long cpuBefore = processCpuNanos();
        batch.openAll(Integer.parseInt(command[4]), command[5]);
        return String.format(
                Locale.ROOT,
                "OPENED %d %d %.2f %.3f",
                batch.opened(),
                batch.failed(),
                (System.nanoTime() - started) / 1e9,
                (processCpuNanos() - cpuBefore) / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
