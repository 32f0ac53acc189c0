package dev.clusterconnect.routes.component.kubeserver;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one client address holds open on a server. One address holding thousands
 * of sockets (each with its TLS state and buffers) is an attack or a bug, never kubectl, which
 * keeps a handful. A refused connection is closed before its TLS handshake, without an answer:
 * answering would cost the handshake the cap is there to save. Refusals are logged once per
 * address per {@link #LOG_INTERVAL}, with how many were refused since, never once per connection.
 */
final class ConnectionsPerAddress {

    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    /** Addresses whose refusal log time is remembered before old ones are forgotten. */
    private static final int LOG_MEMORY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    private final int max;
    private final LongSupplier nanoTicker;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, Refusals> refusals = new ConcurrentHashMap<>();

    /** @param max connections per address, 0 for no cap */
    ConnectionsPerAddress(int max, LongSupplier nanoTicker) {
        this.max = max;
        this.nanoTicker = nanoTicker;
    }

    /**
     * True when the connection may stay; its count drops when it closes. False when its address
     * is at the cap: the caller closes it.
     */
    boolean admit(Channel connection) {
        if (max <= 0 || !(connection.remoteAddress() instanceof InetSocketAddress remote)) {
            return true;
        }
        InetAddress address = remote.getAddress();
        boolean[] admitted = {false};
        open.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            logRefusal(address);
            return false;
        }
        connection
                .closeFuture()
                .addListener(closed -> open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1));
        return true;
    }

    /** Connections open from {@code address} now. */
    int openFrom(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    private void logRefusal(InetAddress address) {
        long now = nanoTicker.getAsLong();
        if (refusals.size() > LOG_MEMORY) {
            refusals.values().removeIf(seen -> now - seen.loggedAt >= LOG_INTERVAL.toNanos());
        }
        Refusals seen = refusals.computeIfAbsent(address, key -> new Refusals(now - LOG_INTERVAL.toNanos()));
        long unlogged;
        synchronized (seen) {
            seen.sinceLog++;
            if (now - seen.loggedAt < LOG_INTERVAL.toNanos()) {
                return;
            }
            unlogged = seen.sinceLog;
            seen.sinceLog = 0;
            seen.loggedAt = now;
        }
        LOG.warn(
                "refused {} connection(s) from {}: it holds the most connections one address may ({}); "
                        + "next report in {} s at the earliest",
                unlogged,
                address.getHostAddress(),
                max,
                LOG_INTERVAL.toSeconds());
    }

    private static final class Refusals {
        long loggedAt;
        long sinceLog;

        Refusals(long loggedAt) {
            this.loggedAt = loggedAt;
        }
    }
}
