package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long one exchange waits for its response head, from the moment its request goes out, and
 * what the client is told when nothing came. Only the head: a watch or {@code logs -f} sends its
 * head at once and its body for hours, and an exec answers 101 at once.
 *
 * @param upstream names the server in the message: endpoint name and host, never a credential
 */
record HeadDeadline(Duration timeout, String upstream) {

    /** Runs {@code onExpiry} on the channel's event loop unless cancelled first. */
    ScheduledFuture<?> arm(Channel channel, Runnable onExpiry) {
        return channel.eventLoop().schedule(onExpiry, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    KubeStatusException expired() {
        return new KubeStatusException(
                504, "the upstream " + upstream + " sent no response head within " + describe(timeout));
    }

    static String describe(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
