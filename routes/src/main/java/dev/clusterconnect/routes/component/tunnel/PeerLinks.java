package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's links to the other relay replicas, one per peer, dialled when a request first
 * needs the peer and kept up by the tunnel's heartbeat. On a link this replica opens the streams
 * (it plays the relay's part; the peer plays the agent's), so a forwarded request is a tunnel
 * stream like any other, with the same per-stream flow control.
 *
 * <p>Both ends authenticate with certificates of the peer CA (mutual TLS); the peer's host name is
 * not checked, since a CA dedicated to the replicas names no pod address.
 */
public final class PeerLinks {

    /** The path of the peer port that accepts links. */
    public static final String PATH = "/peer/v1/connect";
    /** Handshake header naming the dialling replica, for the peer's logs and its registry. */
    public static final String PEER_HEADER = "X-Clusterconnect-Peer";

    private static final Logger LOG = LoggerFactory.getLogger(PeerLinks.class);
    // A replica that does not answer within this is as good as gone: its agents are moving.
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;

    private final String self;
    private final SslContext tls;
    private final TunnelSettings settings;
    private final EventLoopGroup group;
    private final Map<String, CompletableFuture<TunnelSession>> links = new ConcurrentHashMap<>();

    PeerLinks(String self, SslContext tls, TunnelSettings settings, EventLoopGroup group) {
        this.self = self;
        this.tls = tls;
        this.settings = settings;
        this.group = group;
    }

    /**
     * The link to {@code peer} at {@code address} (host:port), dialled now when there is none that
     * takes streams. Completes exceptionally when the peer cannot be reached.
     */
    public CompletableFuture<TunnelSession> link(String peer, String address) {
        CompletableFuture<TunnelSession> existing = links.get(peer);
        if (existing != null && (!existing.isDone() || usable(existing))) {
            return existing;
        }
        CompletableFuture<TunnelSession> fresh = new CompletableFuture<>();
        boolean ours = existing == null ? links.putIfAbsent(peer, fresh) == null : links.replace(peer, existing, fresh);
        if (!ours) {
            return link(peer, address);
        }
        dial(peer, address, fresh);
        return fresh;
    }

    /** Links open now (for metrics and tests). */
    public int open() {
        return (int) links.values().stream().filter(PeerLinks::usable).count();
    }

    /** Streams open on the links now: requests this replica forwarded that are not done. */
    public int openStreams() {
        return links.values().stream()
                .filter(PeerLinks::usableOrDraining)
                .mapToInt(link -> link.join().openStreams())
                .sum();
    }

    /** Closes every link (the relay is stopping). */
    public void closeAll() {
        links.values().forEach(link -> link.thenAccept(TunnelSession::close));
        links.clear();
    }

    private void dial(String peer, String address, CompletableFuture<TunnelSession> result) {
        Map<String, String> headers = Map.of(PEER_HEADER, self);
        TunnelDialer.Target target = new TunnelDialer.Target(
                URI.create("wss://" + address + PATH),
                headers,
                tls,
                false,
                null,
                null,
                settings,
                CONNECT_TIMEOUT_MILLIS);
        new TunnelDialer(target, group).dial().addListener(f -> {
            if (!f.isSuccess()) {
                links.remove(peer, result);
                LOG.warn(
                        "peer link to {} at {} failed: {}",
                        peer,
                        address,
                        f.cause().getMessage());
                result.completeExceptionally(f.cause());
                return;
            }
            TunnelSession session = TunnelSession.start(
                    (Channel) f.getNow(),
                    TunnelSession.Role.RELAY,
                    settings,
                    new SessionListener() {
                        @Override
                        public void onClosed(TunnelSession closed) {
                            links.remove(peer, result);
                            LOG.info("peer link to {} closed", peer);
                        }
                    },
                    "peer:" + peer);
            LOG.info("peer link to {} at {} is up", peer, address);
            result.complete(session);
        });
    }

    private static boolean usableOrDraining(CompletableFuture<TunnelSession> link) {
        return link.isDone() && !link.isCompletedExceptionally() && !link.join().isClosed();
    }

    private static boolean usable(CompletableFuture<TunnelSession> link) {
        return link.isDone() && !link.isCompletedExceptionally() && link.join().isAcceptingStreams();
    }
}
