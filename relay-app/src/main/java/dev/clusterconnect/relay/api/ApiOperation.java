package dev.clusterconnect.relay.api;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The operations of {@code /api/v1} and the request line each answers to. {@link #resolve}
 * matches the request, sets {@link #HEADER} (the operation's route is {@code relay-api-<name>})
 * and the path parameters as headers.
 */
public enum ApiOperation {
    CREATE_CLUSTER("POST", "/api/v1/clusters"),
    LIST_CLUSTERS("GET", "/api/v1/clusters"),
    GET_CLUSTER("GET", "/api/v1/clusters/{id}"),
    DELETE_CLUSTER("DELETE", "/api/v1/clusters/{id}"),
    ISSUE_BOOTSTRAP_TOKEN("POST", "/api/v1/clusters/{id}/bootstrap-tokens"),
    LIST_GRANTS("GET", "/api/v1/clusters/{id}/grants"),
    CREATE_GRANT("POST", "/api/v1/clusters/{id}/grants"),
    DELETE_GRANT("DELETE", "/api/v1/clusters/{id}/grants/{kind}/{subject}"),
    GET_KUBECONFIG("GET", "/api/v1/clusters/{id}/kubeconfig"),
    LIST_AGENT_KEYS("GET", "/api/v1/clusters/{id}/agent-keys"),
    REVOKE_AGENT_KEY("DELETE", "/api/v1/clusters/{id}/agent-keys/{kid}");

    /** Message header: the operation's route name, e.g. {@code create-cluster}. */
    public static final String HEADER = "ClusterConnectApiOperation";
    /** Message header: the {@code {kind}} path parameter. */
    public static final String KIND = "ClusterConnectGrantKind";
    /** Message header: the {@code {kid}} path parameter. */
    public static final String KID = "ClusterConnectAgentKeyId";
    /** Message header: the {@code {subject}} path parameter, URL-decoded. */
    public static final String SUBJECT = "ClusterConnectGrantSubject";

    private final String method;
    private final Pattern path;

    ApiOperation(String method, String template) {
        this.method = method;
        this.path = Pattern.compile(template.replace("{id}", "(?<id>[A-Za-z0-9_-]{1,64})")
                .replace("{kind}", "(?<kind>[A-Za-z]+)").replace("{kid}", "(?<kid>[A-Za-z0-9._-]{1,128})").replace("{subject}", "(?<subject>[^/]+)"));
    }

    /** The route name: {@code CREATE_CLUSTER} is served by {@code relay-api-create-cluster}. */
    public String routeName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Sets the operation and path parameters of the exchange's request, or fails with 404 / 405. */
    public static void resolve(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String path = call.head().path();
        boolean pathKnown = false;
        for (ApiOperation operation : values()) {
            Matcher match = operation.path.matcher(path);
            if (!match.matches()) {
                continue;
            }
            pathKnown = true;
            if (operation.method.equals(call.head().method())) {
                exchange.getMessage().setHeader(HEADER, operation.routeName());
                if (operation.path.pattern().contains("(?<id>")) {
                    exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, match.group("id"));
                }
                if (operation == REVOKE_AGENT_KEY) {
                    exchange.getMessage().setHeader(KID, match.group("kid"));
                }
                if (operation == DELETE_GRANT) {
                    exchange.getMessage().setHeader(KIND, match.group("kind"));
                    exchange.getMessage().setHeader(SUBJECT, URLDecoder.decode(match.group("subject"), StandardCharsets.UTF_8));
                }
                return;
            }
        }
        throw pathKnown ? new KubeStatusException(405, call.head().method() + " is not allowed on " + path)
                : new KubeStatusException(404, "the relay API has no " + path);
    }
}
