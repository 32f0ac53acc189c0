-- Relay replicas and which of them holds each cluster's agent tunnels (docs/decisions.md #8).
-- Liveness is a lease per replica, not a row per heartbeat: presence is written only when a
-- tunnel comes or goes, and one UPDATE per replica renews all of its rows at once.

-- A running relay process. The id is new at every start; peer_address is where the other
-- replicas dial its peer port (empty for a replica without one).
CREATE TABLE relay_instances (
    id                VARCHAR(128)             NOT NULL PRIMARY KEY,
    peer_address      VARCHAR(256)             NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    draining          BOOLEAN                  NOT NULL
);
CREATE INDEX relay_instances_lease ON relay_instances (lease_expires_at);

-- A replica holds at least one tunnel of the cluster's agent. The row goes with its replica.
CREATE TABLE tunnel_presence (
    cluster_id   VARCHAR(32)              NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    instance_id  VARCHAR(128)             NOT NULL REFERENCES relay_instances (id) ON DELETE CASCADE,
    since        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tunnel_presence_pk PRIMARY KEY (cluster_id, instance_id)
);
CREATE INDEX tunnel_presence_instance ON tunnel_presence (instance_id);
