package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code clusterOfPort}: a request that came in on a cluster's own port ({@code
 * proxy.cluster-ports}) goes to that cluster, whatever its path: its target becomes {@code
 * /clusters/<id><target>} at the relay. Clients keep the port of the kubeconfig's server URL, while
 * {@code kubectl get --raw}, and other clients' absolute paths, drop its path. A request on the
 * proxy's own port names its cluster in the path, as before.
 */
final class ClusterOfPort implements Processor {

    /** Cluster ids as the relay makes them (base64url), and what fits a path segment unescaped. */
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    @Override
    public void process(Exchange exchange) {
        String cluster = exchange.getMessage().getHeader(ClusterConnectHeaders.PORT_NAME, String.class);
        if (cluster == null) {
            return;
        }
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String target = call.head().target();
        if (!target.startsWith("/")) {
            throw new KubeStatusException(400, "the request target must be a path, got " + abbreviated(target));
        }
        call.head(call.head().withTarget("/clusters/" + cluster + target));
        exchange.getMessage().setHeader(ClusterConnectHeaders.PATH, call.head().path());
    }

    /**
     * {@code proxy.cluster-ports} read: cluster id to port, in order.
     *
     * @throws IllegalArgumentException naming the pair that is wrong
     */
    static Map<String, Integer> parse(String clusterPorts) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String pair : clusterPorts.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String cluster = equals < 0 ? "" : pair.substring(0, equals).strip();
            String port = pair.substring(equals + 1).strip();
            if (!CLUSTER_ID.matcher(cluster).matches()
                    || !port.matches("[0-9]{1,5}")
                    || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("proxy.cluster-ports wants <cluster id>=<port> pairs separated by"
                        + " commas, got '" + pair.strip() + "'");
            }
            if (ports.put(cluster, Integer.parseInt(port)) != null) {
                throw new IllegalArgumentException("proxy.cluster-ports names cluster " + cluster + " twice");
            }
        }
        return ports;
    }

    private static String abbreviated(String target) {
        return target.length() > 64 ? target.substring(0, 64) + "..." : target;
    }
}
