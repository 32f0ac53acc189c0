package dev.clusterconnect.relay.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.relay.access.Caller;
import dev.clusterconnect.relay.store.AlreadyExistsException;
import dev.clusterconnect.relay.store.Cluster;
import dev.clusterconnect.relay.store.ClusterStatus;
import dev.clusterconnect.relay.store.Grant;
import dev.clusterconnect.relay.store.IssuedBootstrapToken;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.relay.store.SubjectKind;
import dev.clusterconnect.relay.store.UnknownClusterException;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * The handlers of {@code /api/v1}, one method per operation route ({@code relay-api-*}, the REST
 * DSL in {@code relay.camel.yaml}). Each reads the {@link Caller}, the path parameters (message
 * headers named as in the path template: {@value #ID}, {@value #KIND}, {@value #SUBJECT},
 * {@value #KID}) and the JSON body from the exchange and answers
 * with a JSON body and a status; failures are Kubernetes Status errors. Reading a cluster needs
 * access to it (owner or grant); changing it, its grants or its bootstrap tokens needs ownership.
 */
public final class ClusterApi {

    /** Path parameter (message header): the cluster's id. */
    public static final String ID = "id";
    /** Path parameter: a grant's subject kind, USER or GROUP. */
    public static final String KIND = "kind";
    /** Path parameter: a grant's subject, URL-decoded. */
    public static final String SUBJECT = "subject";
    /** Path parameter: an agent key's id. */
    public static final String KID = "kid";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a cluster id can be (ids are generated; the path may carry anything). */
    private static final java.util.regex.Pattern CLUSTER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final RelayDatabase database;
    private final Function<String, List<String>> holders;
    private final PublicEndpoint relay;
    private final Duration bootstrapTtl;
    private final java.util.function.BiPredicate<String, String> keyRevocation;

    /** @param holders the relay replicas that hold a tunnel of a cluster's agent now (none: disconnected) */
    /** @param keyRevocation revokes (cluster id, kid) and closes its tunnels; false when no such active key */
    public ClusterApi(
            RelayDatabase database,
            Function<String, List<String>> holders,
            PublicEndpoint relay,
            Duration bootstrapTtl,
            java.util.function.BiPredicate<String, String> keyRevocation) {
        this.keyRevocation = keyRevocation;
        this.database = database;
        this.holders = holders;
        this.relay = relay;
        this.bootstrapTtl = bootstrapTtl;
    }

    public void createCluster(Exchange exchange) {
        Caller caller = caller(exchange);
        String name = text(exchange, "name");
        Cluster cluster;
        try {
            cluster = database.clusters().register(caller.user(), name);
        } catch (AlreadyExistsException e) {
            throw new KubeStatusException(409, "AlreadyExists", "you already have a cluster named " + name);
        } catch (IllegalArgumentException e) {
            throw new KubeStatusException(400, e.getMessage());
        }
        IssuedBootstrapToken token = database.bootstrapTokens().issue(cluster.id(), bootstrapTtl);
        ObjectNode body = JSON.createObjectNode();
        body.put("id", cluster.id());
        body.put("name", cluster.name());
        body.put("owner", cluster.owner());
        body.put("bootstrapToken", token.token());
        body.put("bootstrapExpiresAt", token.expiresAt().toString());
        body.put("helmInstall", HelmInstall.command(relay, cluster.id(), token.token()));
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, cluster.id());
        reply(exchange, 201, body);
    }

    public void listClusters(Exchange exchange) {
        Caller caller = caller(exchange);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        database.clusters().listVisibleTo(caller.user(), caller.groups()).forEach(c -> items.add(describe(c)));
        reply(exchange, 200, body);
    }

    public void getCluster(Exchange exchange) {
        reply(exchange, 200, describe(reachable(exchange)));
    }

    public void deleteCluster(Exchange exchange) {
        Cluster cluster = owned(exchange);
        database.clusters().delete(cluster.id());
        reply(exchange, 200, describe(cluster));
    }

    public void issueBootstrapToken(Exchange exchange) {
        Cluster cluster = owned(exchange);
        IssuedBootstrapToken token;
        try {
            token = database.bootstrapTokens().issue(cluster.id(), bootstrapTtl);
        } catch (UnknownClusterException e) {
            throw new KubeStatusException(404, "cluster " + cluster.id() + " not found");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("clusterId", cluster.id());
        body.put("bootstrapToken", token.token());
        body.put("bootstrapExpiresAt", token.expiresAt().toString());
        body.put("helmInstall", HelmInstall.command(relay, cluster.id(), token.token()));
        reply(exchange, 201, body);
    }

    public void listGrants(Exchange exchange) {
        Cluster cluster = reachable(exchange);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        database.grants().list(cluster.id()).forEach(g -> items.add(describe(g)));
        reply(exchange, 200, body);
    }

    public void createGrant(Exchange exchange) {
        Cluster cluster = owned(exchange);
        SubjectKind kind = kind(text(exchange, "kind"));
        String subject = text(exchange, "subject");
        try {
            reply(
                    exchange,
                    201,
                    describe(database.grants()
                            .grant(cluster.id(), kind, subject, caller(exchange).user())));
        } catch (IllegalArgumentException e) {
            throw new KubeStatusException(400, e.getMessage());
        } catch (UnknownClusterException e) {
            throw new KubeStatusException(404, "cluster " + cluster.id() + " not found");
        }
    }

    public void deleteGrant(Exchange exchange) {
        Cluster cluster = owned(exchange);
        SubjectKind kind = kind(exchange.getMessage().getHeader(KIND, String.class));
        String subject = exchange.getMessage().getHeader(SUBJECT, String.class);
        if (!database.grants().revoke(cluster.id(), kind, subject)) {
            throw new KubeStatusException(404, "cluster " + cluster.id() + " has no " + kind + " grant for " + subject);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("clusterId", cluster.id());
        body.put("kind", kind.name());
        body.put("subject", subject);
        reply(exchange, 200, body);
    }

    /** The agent keys of a cluster the caller owns: kid, created, revoked (never the key itself). */
    public void listAgentKeys(Exchange exchange) {
        Cluster cluster = owned(exchange);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (var key : database.agentKeys().list(cluster.id())) {
            ObjectNode item = items.addObject();
            item.put("kid", key.kid());
            item.put("createdAt", key.createdAt().toString());
            if (key.revokedAt() != null) {
                item.put("revokedAt", key.revokedAt().toString());
            }
        }
        reply(exchange, 200, body);
    }

    /** Revokes an agent key of a cluster the caller owns; the tunnels it opened are closed. */
    public void revokeAgentKey(Exchange exchange) {
        Cluster cluster = owned(exchange);
        String kid = exchange.getMessage().getHeader(KID, String.class);
        if (!keyRevocation.test(cluster.id(), kid)) {
            throw new KubeStatusException(404, "cluster " + cluster.id() + " has no active agent key " + kid);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("clusterId", cluster.id());
        body.put("kid", kid);
        body.put("revoked", true);
        reply(exchange, 200, body);
    }

    public void getKubeconfig(Exchange exchange) {
        Cluster cluster = reachable(exchange);
        exchange.getMessage().setBody(Kubeconfig.render(cluster, relay));
        exchange.getMessage().setHeader(ClusterConnectHeaders.RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CONTENT_TYPE, "application/yaml");
    }

    /** The cluster of the path, if the caller may reach it: 404 unknown, 403 not allowed. */
    private Cluster reachable(Exchange exchange) {
        Caller caller = caller(exchange);
        Cluster cluster = cluster(exchange);
        if (!cluster.owner().equals(caller.user())
                && !database.grants().isAllowed(cluster.id(), caller.user(), caller.groups())) {
            throw new KubeStatusException(403, "user " + caller.user() + " may not reach cluster " + cluster.id());
        }
        return cluster;
    }

    /** The cluster of the path, if the caller owns it. */
    private Cluster owned(Exchange exchange) {
        Cluster cluster = reachable(exchange);
        Caller caller = caller(exchange);
        if (!cluster.owner().equals(caller.user())) {
            throw new KubeStatusException(
                    403, "only the owner of cluster " + cluster.id() + " may do this; " + caller.user() + " is not");
        }
        return cluster;
    }

    private Cluster cluster(Exchange exchange) {
        String id = exchange.getMessage().getHeader(ID, String.class);
        if (id == null || !CLUSTER_ID.matcher(id).matches()) {
            // never an id: not looked up, and kept out of the audit line and the metrics' labels
            throw new KubeStatusException(404, "no such cluster");
        }
        // the audit line names the cluster of the path, found or not
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, id);
        return database.clusters()
                .find(id)
                .orElseThrow(() -> new KubeStatusException(404, "cluster " + id + " not found"));
    }

    private static Caller caller(Exchange exchange) {
        Caller caller = exchange.getProperty(Caller.PROPERTY, Caller.class);
        if (caller == null) {
            throw new IllegalStateException("API call without an authenticated caller");
        }
        return caller;
    }

    private static String text(Exchange exchange, String field) {
        JsonNode body = exchange.getProperty(ReadJsonBody.PROPERTY, JsonNode.class);
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new KubeStatusException(400, "the request body needs a string field \"" + field + "\"");
        }
        return value.asText();
    }

    private static SubjectKind kind(String kind) {
        try {
            return SubjectKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KubeStatusException(400, "kind must be USER or GROUP");
        }
    }

    private ObjectNode describe(Cluster cluster) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", cluster.id());
        node.put("name", cluster.name());
        node.put("owner", cluster.owner());
        node.put("createdAt", cluster.createdAt().toString());
        node.put("server", relay.clusterServer(cluster.id()));
        List<String> relays = holders.apply(cluster.id());
        node.put("connected", !relays.isEmpty());
        if (!relays.isEmpty()) {
            relays.forEach(node.putArray("relays")::add);
        }
        database.clusters().status(cluster.id()).ifPresent(status -> describeStatus(node, status));
        return node;
    }

    private static void describeStatus(ObjectNode node, ClusterStatus status) {
        if (status.lastSeen() != null) {
            node.put("lastSeen", status.lastSeen().toString());
        }
        if (status.agentVersion() != null) {
            node.put("agentVersion", status.agentVersion());
        }
        if (status.kubernetesVersion() != null) {
            node.put("kubernetesVersion", status.kubernetesVersion());
        }
    }

    private static ObjectNode describe(Grant grant) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", grant.kind().name());
        node.put("subject", grant.subject());
        node.put("grantedBy", grant.grantedBy());
        node.put("createdAt", grant.createdAt().toString());
        return node;
    }

    private static void reply(Exchange exchange, int status, JsonNode body) {
        exchange.getMessage().setBody(body.toString());
        exchange.getMessage().setHeader(ClusterConnectHeaders.RESPONSE_CODE, status);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CONTENT_TYPE, "application/json");
    }
}
