package dev.clusterconnect.sandbox;

import dev.clusterconnect.sandbox.auth.Authenticator;
import dev.clusterconnect.sandbox.auth.Authorizer;
import dev.clusterconnect.sandbox.auth.BootstrapPolicy;
import dev.clusterconnect.sandbox.auth.RbacAuthorizer;
import dev.clusterconnect.sandbox.http.ApiHandler;
import dev.clusterconnect.sandbox.http.Router;
import dev.clusterconnect.sandbox.http.ServerInitializer;
import dev.clusterconnect.sandbox.rest.Reviews;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.Objects;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import dev.clusterconnect.sandbox.stream.PortForwardTargets;
import dev.clusterconnect.sandbox.stream.StreamUpgrades;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * An in-memory Kubernetes apiserver that real kubectl can use: REST, watch, logs, exec, attach,
 * cp and port-forward, bearer tokens and impersonation, and a record of every request received.
 *
 * <pre>{@code
 * try (SandboxApiServer server = SandboxApiServer.builder().token("t0ken", Identity.of("agent"))
 *     .impersonator("agent").build().start()) {
 *   // kubectl --server https://127.0.0.1:<server.port()> --token t0ken ...
 * }
 * }</pre>
 */
public final class SandboxApiServer implements AutoCloseable {

    private final SandboxConfig config;
    private final FakeCluster cluster;
    private final RequestRecorder recorder = new RequestRecorder();
    private final TlsMaterial tls;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ExecutorService processes;
    private ScheduledExecutorService ticker;
    private Channel server;

    SandboxApiServer(SandboxConfig config) {
        this.config = config;
        this.cluster = new FakeCluster(new PortForwardTargets(config.portForwards()));
        this.tls = config.tls() ? TlsMaterial.generate() : null;
        cluster.ensureNamespace("default");
        cluster.ensureNamespace("kube-system");
        if (config.rbac()) {
            BootstrapPolicy.seed(cluster.store());
        }
        if (config.demoPods()) {
            cluster.seedPod("default", "demo-0");
            cluster.seedPod("default", "demo-1");
        }
        config.bulkConfigMaps().forEach(cluster::addBulkConfigMaps);
    }

    /** A builder with TLS on, a free port on 127.0.0.1, no tokens and an allow-all authorizer. */
    public static SandboxConfig.Builder builder() {
        return new SandboxConfig.Builder();
    }

    /** Binds the port and starts serving. */
    public SandboxApiServer start() {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("sandbox-accept", true));
        workers = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("sandbox-io", true));
        processes = Executors.newCachedThreadPool(blockingThreads("sandbox-process"));
        Authorizer rbac = config.rbac() ? new RbacAuthorizer(cluster.store()) : null;
        Authorizer authorizer = rbac == null ? config.authorizer() : rbac.and(config.authorizer());
        Authenticator authenticator = new Authenticator(config.tokens(), config.impersonators(), rbac);
        StreamUpgrades streams = new StreamUpgrades(cluster, processes);
        Reviews reviews = new Reviews(authorizer);
        SslContext ssl = sslContext();
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class);
        Router router = new Router(cluster, streams, reviews, () -> config.host() + ":" + port());
        bootstrap.childHandler(
                new ServerInitializer(ssl, () -> new ApiHandler(authenticator, authorizer, recorder, router)));
        server = bootstrap
                .bind(config.host(), config.port())
                .syncUninterruptibly()
                .channel();
        startLogTicker();
        return this;
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code https://127.0.0.1:<port>} (or {@code http://}). */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return (tls != null ? "https://" : "http://") + host + ":" + port();
    }

    /** The PEM of the CA that signed the server certificate; {@code null} without TLS. */
    public String caCertificatePem() {
        return tls == null ? null : tls.caPem();
    }

    /** The stored objects, for tests to create, change and delete (open watches see it). */
    public ObjectStore store() {
        return cluster.store();
    }

    /** The cluster state: store, pod logs, pod files. */
    public FakeCluster cluster() {
        return cluster;
    }

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return recorder.requests();
    }

    /** Forgets the recorded requests. */
    public void clearRecords() {
        recorder.clear();
    }

    /** The first request, received or to come, that matches; fails after {@code timeout}. */
    public RecordedRequest awaitRequest(Predicate<RecordedRequest> matching, Duration timeout) {
        return recorder.await(matching, timeout);
    }

    /** How many watches are open. */
    public int openWatchCount() {
        return cluster.store().openWatchCount();
    }

    /** How many {@code logs -f} streams are open. */
    public int openLogFollowCount() {
        return cluster.logs().followerCount();
    }

    /** Appends a line to a pod's log; {@code logs -f} and attach see it. */
    public void appendLog(String namespace, String pod, String line) {
        cluster.logs().append(namespace, pod, line);
    }

    /** Makes config map lists in {@code namespace} stream about {@code totalBytes} of generated items. */
    public void addBulkConfigMaps(String namespace, long totalBytes) {
        cluster.addBulkConfigMaps(namespace, totalBytes);
    }

    /** Stops serving and ends every thread the server started. */
    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (processes != null) {
            processes.shutdownNow();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        awaitTermination();
    }

    private void awaitTermination() {
        try {
            if (processes != null) {
                processes.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (ticker != null) {
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startLogTicker() {
        Duration every = config.logLineEvery();
        if (every == null) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(blockingThreads("sandbox-logs"));
        long[] tick = {0};
        ticker.scheduleAtFixedRate(
                () -> {
                    tick[0]++;
                    cluster.store()
                            .list(ResourceCatalog.PODS, null, o -> true)
                            .items()
                            .forEach(pod -> appendLog(
                                    Objects.namespace(pod),
                                    Objects.name(pod),
                                    "tick " + tick[0] + " from " + Objects.name(pod)));
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private SslContext sslContext() {
        if (tls == null) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(tls.serverKey(), tls.server(), tls.ca())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    /**
     * Plain daemon threads for work that may block (processes, timers). Not Netty's thread factory:
     * its threads count as event loops to BlockHound, which the tests run with.
     */
    private static java.util.concurrent.ThreadFactory blockingThreads(String prefix) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
