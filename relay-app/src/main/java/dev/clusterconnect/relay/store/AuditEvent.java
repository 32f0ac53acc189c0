package dev.clusterconnect.relay.store;

import java.time.Duration;
import java.time.Instant;

/**
 * One request through the relay, as the audit log records it. Only these typed fields exist:
 * there is deliberately no place for headers or bodies, where credentials live.
 *
 * @param time when the request arrived
 * @param caller the authenticated user name; null if authentication failed
 * @param clusterId the target cluster; null if none was resolved
 * @param verb the HTTP method
 * @param path the request path with its query; parameters named like credentials are dropped
 * @param status the HTTP status answered
 * @param bytesIn request body bytes received
 * @param bytesOut response body bytes sent
 * @param duration from arrival to the last byte sent
 * @param correlationId the id that ties this line to the relay's and agent's logs
 */
public record AuditEvent(
        Instant time,
        String caller,
        String clusterId,
        String verb,
        String path,
        int status,
        long bytesIn,
        long bytesOut,
        Duration duration,
        String correlationId) {}
