package dev.clusterconnect.agent;

import dev.clusterconnect.routes.component.kubeclient.Upstream;
import dev.clusterconnect.routes.config.Secrets;
import dev.clusterconnect.routes.config.Settings;
import dev.clusterconnect.routes.tls.JdkTls;
import dev.clusterconnect.routes.tls.PemFiles;
import dev.clusterconnect.routes.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * How the agent reaches its cluster's apiserver, as itself: in cluster (service-account token and
 * CA, {@code KUBERNETES_SERVICE_HOST}), or out of cluster from a kubeconfig file. The server is
 * always verified against the cluster's CA. {@link #upstream} carries the callers' requests;
 * {@link #url} and {@link #jdkTls} serve the agent's own few calls ({@link ApiserverClient}).
 */
public record ApiserverAccess(Upstream upstream, Supplier<String> token, URI url, SSLContext jdkTls) {

    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    static ApiserverAccess from(Settings settings) {
        Optional<String> kubeconfig = settings.optional("agent.apiserver.kubeconfig");
        if (kubeconfig.isPresent()) {
            try {
                return fromKubeconfig(Path.of(kubeconfig.get()));
            } catch (RuntimeException | IOException e) {
                settings.problem("agent.apiserver.kubeconfig: " + e.getMessage());
                return null;
            }
        }
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String port = System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        Path saDir = Path.of(settings.get("agent.apiserver.service-account-dir", SERVICE_ACCOUNT.toString()));
        if (host == null || !Files.isReadable(saDir.resolve("token"))) {
            settings.problem(
                    "not running in a cluster (no KUBERNETES_SERVICE_HOST or service-account token): set agent.apiserver.kubeconfig");
            return null;
        }
        String authority = host.contains(":") ? "[" + host + "]" : host;
        URI url = URI.create("https://" + authority + ":" + port);
        Upstream upstream = Upstream.of(url, TlsContexts.client(saDir.resolve("ca.crt")));
        return new ApiserverAccess(
                upstream,
                Secrets.fromFile(saDir.resolve("token")),
                url,
                JdkTls.trusting(PemFiles.readCertificates(saDir.resolve("ca.crt"))));
    }

    @SuppressWarnings("unchecked")
    static ApiserverAccess fromKubeconfig(Path file) throws IOException {
        Map<String, Object> config;
        try {
            config = (Map<String, Object>)
                    new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        } catch (YamlEngineException e) {
            // The parser's message quotes the offending line, which may hold the token: say only where and what.
            String where = e instanceof MarkedYamlEngineException marked
                    ? marked.getProblemMark()
                            .map(mark -> " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)
                                    + ": " + marked.getProblem())
                            .orElse("")
                    : "";
            throw new IllegalArgumentException(file + " is not valid YAML" + where);
        }
        String current = (String) config.get("current-context");
        Map<String, Object> context = named(config, "contexts", current, "context");
        Map<String, Object> cluster = named(config, "clusters", (String) context.get("cluster"), "cluster");
        Map<String, Object> user = named(config, "users", (String) context.get("user"), "user");
        String server = (String) cluster.get("server");
        if (server == null || !server.startsWith("https://")) {
            // the agent sends its own token, which may impersonate anyone: never in clear
            java.util.regex.Matcher scheme = java.util.regex.Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):")
                    .matcher(server == null ? "" : server);
            throw new IllegalArgumentException(
                    "the cluster's server must be an https:// URL, since the agent's token goes there; got "
                            + (scheme.find() ? "a " + scheme.group(1) + ": URL" : "none"));
        }
        String caPem;
        if (cluster.get("certificate-authority-data") != null) {
            caPem = new String(
                    Base64.getDecoder().decode((String) cluster.get("certificate-authority-data")),
                    StandardCharsets.US_ASCII);
        } else if (cluster.get("certificate-authority") != null) {
            caPem = Files.readString(file.resolveSibling((String) cluster.get("certificate-authority")));
        } else {
            throw new IllegalArgumentException(
                    "the cluster entry has no certificate authority: the apiserver cannot be verified");
        }
        Supplier<String> token;
        if (user.get("token") != null) {
            String value = (String) user.get("token");
            token = () -> value;
        } else if (user.get("tokenFile") != null) {
            token = Secrets.fromFile(file.resolveSibling((String) user.get("tokenFile")));
        } else {
            throw new IllegalArgumentException("the user entry needs a token or tokenFile");
        }
        return new ApiserverAccess(
                Upstream.of(URI.create(server), TlsContexts.clientTrustingPem(caPem)),
                token,
                URI.create(server),
                JdkTls.trusting(PemFiles.parseCertificates(caPem)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> named(Map<String, Object> config, String list, String name, String field) {
        for (Map<String, Object> entry : (List<Map<String, Object>>) config.getOrDefault(list, List.of())) {
            if (name != null && name.equals(entry.get("name"))) {
                return (Map<String, Object>) entry.get(field);
            }
        }
        throw new IllegalArgumentException("no " + field + " named '" + name + "' in the kubeconfig");
    }
}
