package dev.clusterconnect.routes.component.tunnel;

import java.time.Duration;

/** The relay answered the agent's handshake with an error instead of 101: the agent dials again later. */
final class TunnelRefusedException extends IllegalStateException {

    private final Duration retryAfter;

    TunnelRefusedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** What the relay's {@code Retry-After} asked for (a 429 when it is busy); zero when it said nothing. */
    Duration retryAfter() {
        return retryAfter;
    }

    /** Seconds in a {@code Retry-After} header; an HTTP date or nonsense counts as nothing said. */
    static Duration parseRetryAfter(String header) {
        if (header == null || !header.trim().matches("[0-9]{1,5}")) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Long.parseLong(header.trim()));
    }
}
