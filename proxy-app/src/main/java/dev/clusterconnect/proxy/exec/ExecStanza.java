package dev.clusterconnect.proxy.exec;

import dev.clusterconnect.proxy.kubeconfig.UserCredential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code users[].user.exec} stanza that makes kubectl call this CLI for a token, e.g.
 * <pre>
 * exec:
 *   apiVersion: client.authentication.k8s.io/v1
 *   args: [token, --cluster, prod]
 *   command: clusterconnect
 *   env: null
 *   interactiveMode: IfAvailable
 *   provideClusterInfo: false
 * </pre>
 * {@code IfAvailable} lets the device-code prompt reach the terminal when there is one, and still
 * runs the plugin without one (CI), where the cached or non-interactive token sources apply.
 *
 * @param command the CLI executable, an absolute path or a name on {@code $PATH}
 * @param args    its arguments
 * @param env     extra environment variables for the plugin, may be empty
 */
public record ExecStanza(String command, List<String> args, Map<String, String> env) implements UserCredential {

    /** Copies the collections and checks the command is present. */
    public ExecStanza {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    /** A stanza without extra environment variables. */
    public static ExecStanza of(String command, List<String> args) {
        return new ExecStanza(command, args, Map.of());
    }

    @Override
    public Map<String, Object> userFields() {
        // field order follows kubectl's own output, so a later "kubectl config" rewrite is a no-op
        Map<String, Object> exec = new LinkedHashMap<>();
        exec.put("apiVersion", ExecCredential.API_VERSION);
        exec.put("args", args);
        exec.put("command", command);
        exec.put("env", env.isEmpty() ? null : envList());
        exec.put("interactiveMode", "IfAvailable");
        exec.put("provideClusterInfo", false);
        return Map.of("exec", exec);
    }

    private List<Map<String, String>> envList() {
        List<Map<String, String>> list = new ArrayList<>();
        env.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, String> variable = new LinkedHashMap<>();
            variable.put("name", e.getKey());
            variable.put("value", e.getValue());
            list.add(variable);
        });
        return list;
    }
}
