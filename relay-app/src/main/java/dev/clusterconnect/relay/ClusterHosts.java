package dev.clusterconnect.relay;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Each cluster's host name under {@code relay.cluster-domain}: {@code <label>.<domain>}, the label
 * the hex of the cluster id's bytes. Cluster ids are base64url, where case matters, and host names
 * are not, so the id itself cannot be the label; hex is lower case, reversible and within a DNS
 * label's 63 characters for the relay's 22-character ids.
 */
public final class ClusterHosts {

    /** The cluster ids {@link ClusterRouter} accepts. */
    static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,31}");

    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

    private ClusterHosts() {}

    /** The label of a cluster's host name. */
    public static String label(String clusterId) {
        return HexFormat.of().formatHex(clusterId.getBytes(StandardCharsets.UTF_8));
    }

    /** The cluster id a label names, when it names one at all. */
    public static Optional<String> clusterId(String label) {
        if (label.length() % 2 != 0 || label.length() > 62 || !label.matches("[0-9a-f]+")) {
            return Optional.empty();
        }
        String id = new String(HexFormat.of().parseHex(label), StandardCharsets.UTF_8);
        return CLUSTER_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /** True for a DNS name of two labels or more, lower case, as {@code relay.cluster-domain} takes. */
    static boolean isDomain(String domain) {
        return DOMAIN.matcher(domain).matches() && domain.equals(domain.toLowerCase(Locale.ROOT));
    }
}
