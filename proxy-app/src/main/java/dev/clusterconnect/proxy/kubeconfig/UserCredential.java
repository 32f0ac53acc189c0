package dev.clusterconnect.proxy.kubeconfig;

import java.util.Map;

/**
 * How kubectl authenticates as the user of a kubeconfig entry: the fields of
 * {@code users[].user}.
 */
public interface UserCredential {

    /**
     * The fields under {@code users[].user}, in the order they should be written.
     *
     * @return e.g. {@code {token: ...}} or {@code {exec: {...}}}
     */
    Map<String, Object> userFields();
}
