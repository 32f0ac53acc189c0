package dev.clusterconnect.proxy.kubeconfig;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kubeconfig names of the clusters this CLI writes: {@code clusterconnect-<the cluster's
 * name>}, the name its owner gave at the relay. Names are unique per owner only, so when another
 * cluster the user may reach has the same name, the id follows: {@code
 * clusterconnect-<name>-<id>}. A cluster the relay did not name (an older relay, or one the user
 * may not list) keeps {@code clusterconnect-<id>}. The prefix keeps the user's own entries out of
 * reach of every merge.
 */
public final class ContextNames {

    private ContextNames() {}

    /**
     * @param namesById every cluster the user may reach, id to name, as the relay lists them
     * @param wanted    the cluster ids to name
     * @return each wanted id's entry name, in the order given
     */
    public static Map<String, String> of(Map<String, String> namesById, Collection<String> wanted) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String id : wanted) {
            String name = namesById.get(id);
            if (name == null || name.isBlank()) {
                names.put(id, KubeconfigEntry.NAME_PREFIX + id);
            } else if (namesById.values().stream().filter(name::equals).count() > 1) {
                names.put(id, KubeconfigEntry.NAME_PREFIX + name + "-" + id);
            } else {
                names.put(id, KubeconfigEntry.NAME_PREFIX + name);
            }
        }
        return names;
    }
}
