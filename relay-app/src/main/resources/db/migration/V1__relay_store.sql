-- Relay state. Portable SQL: runs unchanged on PostgreSQL and on H2 (MODE=PostgreSQL).
-- Every time is a TIMESTAMP WITH TIME ZONE written in UTC with microsecond precision.

-- A registered cluster. The id is random and opaque: it appears in URLs and kubeconfigs,
-- so it must not leak the owner or the name.
CREATE TABLE clusters (
    id          VARCHAR(32)              NOT NULL PRIMARY KEY,
    owner       VARCHAR(256)             NOT NULL,
    name        VARCHAR(63)              NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT clusters_owner_name_unique UNIQUE (owner, name)
);

-- Connection status, one row per cluster. Kept apart from clusters because last_seen is
-- written on every heartbeat while the registration itself never changes.
CREATE TABLE cluster_status (
    cluster_id          VARCHAR(32)  NOT NULL PRIMARY KEY
                        REFERENCES clusters (id) ON DELETE CASCADE,
    connected           BOOLEAN      NOT NULL,
    connected_since     TIMESTAMP WITH TIME ZONE,
    last_seen           TIMESTAMP WITH TIME ZONE,
    agent_version       VARCHAR(64),
    kubernetes_version  VARCHAR(64)
);

-- One-time bootstrap tokens. Only the hex SHA-256 of the token is stored: a copy of the
-- database (backup, replica, support dump) must not be enough to enrol a rogue agent.
CREATE TABLE bootstrap_tokens (
    token_hash  VARCHAR(64)              NOT NULL PRIMARY KEY,
    cluster_id  VARCHAR(32)              NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX bootstrap_tokens_cluster ON bootstrap_tokens (cluster_id);
CREATE INDEX bootstrap_tokens_expiry ON bootstrap_tokens (expires_at);

-- Agent public keys (JWK JSON). Revoked keys stay, so audits can still tell which key signed what.
CREATE TABLE agent_keys (
    cluster_id  VARCHAR(32)              NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    kid         VARCHAR(128)             NOT NULL,
    jwk         VARCHAR(8192)            NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT agent_keys_pk PRIMARY KEY (cluster_id, kid)
);

-- Who besides the owner may use a cluster. "grants" alone is too close to the GRANT keyword.
CREATE TABLE access_grants (
    cluster_id    VARCHAR(32)              NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    subject_kind  VARCHAR(8)               NOT NULL,
    subject       VARCHAR(256)             NOT NULL,
    granted_by    VARCHAR(256)             NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT access_grants_pk PRIMARY KEY (cluster_id, subject_kind, subject),
    CONSTRAINT access_grants_kind CHECK (subject_kind IN ('USER', 'GROUP'))
);
