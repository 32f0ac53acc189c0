package dev.clusterconnect.routes;

/** Camel message headers our components set and read. HTTP headers travel in the HttpCall. */
public final class ClusterConnectHeaders {

    /** The request's correlation id, logged by every hop. */
    public static final String CORRELATION_ID = "ClusterConnectCorrelationId";
    /** The cluster a request is for (relay), or the cluster an agent tunnel serves. */
    public static final String CLUSTER_ID = "ClusterConnectClusterId";

    /** The name of the kubeserver port a request came in on ({@code namedPorts}); absent on the route's own port. */
    public static final String PORT_NAME = "ClusterConnectPortName";
    /** The verified user name of the caller (relay, once authenticated): whose streams count against the per-user cap. */
    public static final String USER = "ClusterConnectUser";
    /** HTTP method of the request. */
    public static final String METHOD = "CamelHttpMethod";
    /** Path of the request, without the query. */
    public static final String PATH = "CamelHttpPath";
    /** Query of the request, without '?'. */
    public static final String QUERY = "CamelHttpQuery";
    /** Status to answer with when a route replies with a plain body (health, kubeconfig). */
    public static final String RESPONSE_CODE = "CamelHttpResponseCode";
    /** Content type of a plain body reply. */
    public static final String CONTENT_TYPE = "Content-Type";

    private ClusterConnectHeaders() {}
}
