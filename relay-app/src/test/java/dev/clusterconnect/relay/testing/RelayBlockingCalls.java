package dev.clusterconnect.relay.testing;

import dev.clusterconnect.relay.store.AuditLog;
import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound's rules for the relay's own blocking calls, which the JDK's list does not name: an
 * audit line is a write and a flush to a file (or standard output, which a container's log pipe
 * can hold up), so on an event loop it is an error like any other blocking call there.
 */
public final class RelayBlockingCalls implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.markAsBlocking(AuditLog.class, "record", "(Ldev/clusterconnect/relay/store/AuditEvent;)V");
    }
}
