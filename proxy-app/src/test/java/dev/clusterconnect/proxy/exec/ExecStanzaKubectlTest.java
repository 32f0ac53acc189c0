package dev.clusterconnect.proxy.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigFile;
import dev.clusterconnect.proxy.token.RefreshPolicy;
import dev.clusterconnect.proxy.token.TestJwts;
import dev.clusterconnect.proxy.token.Token;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl runs the exec stanza we write, parses the ExecCredential we print and sends
 * the token to a stand-in API server, trusting it through the certificate-authority-data we
 * wrote (kubectl sends credentials over TLS only).
 */
class ExecStanzaKubectlTest {

    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

    @TempDir
    Path dir;

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpsServer apiserver;
    private SelfSignedTls tls;

    @BeforeEach
    void startApiServer() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
        tls = SelfSignedTls.forLoopback();
        apiserver = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        apiserver.setHttpsConfigurator(new HttpsConfigurator(tls.context));
        apiserver.createContext("/version", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body =
                    "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        apiserver.start();
    }

    @AfterEach
    void stopApiServer() {
        if (apiserver != null) {
            apiserver.stop(0);
        }
    }

    @Test
    void kubectlRunsThePluginAndSendsItsToken() throws Exception {
        Token token = Token.of(TestJwts.expiringAt(Instant.now().plusSeconds(3600)));
        ExecCredentialCache cache =
                new ExecCredentialCache(dir.resolve("cache.json"), RefreshPolicy.DEFAULT, Clock.systemUTC());
        new ExecCredentialPlugin(() -> token, cache, List.of("token")).credentialJson();
        Path argsSeen = dir.resolve("args");
        // stands in for the CLI: prints what ExecCredentialPlugin printed, records its arguments
        Path plugin =
                script("plugin.sh", "#!/bin/sh\necho \"$@\" > '" + argsSeen + "'\ntail -n 1 '" + cache.file() + "'\n");
        Path kubeconfig = dir.resolve("config");
        URI server = URI.create("https://127.0.0.1:" + apiserver.getAddress().getPort());
        new KubeconfigFile(kubeconfig)
                .merge(
                        KubeconfigEntry.forCluster(
                                "prod",
                                server,
                                tls.certificatePem,
                                ExecStanza.of(plugin.toString(), List.of("token", "--cluster", "prod"))),
                        true);

        String version = kubectl(kubeconfig, "get", "--raw", "/version");

        assertTrue(version.contains("v1.31.0"), version);
        // kubectl may probe /version before the request itself; every request must carry the token
        assertEquals(Set.of("Bearer " + token.value()), Set.copyOf(authorizations));
        assertEquals("token --cluster prod\n", Files.readString(argsSeen));
    }

    @Test
    void stanzaHasTheFieldsKubectlRequires() throws Exception {
        Path kubeconfig = dir.resolve("config");
        new KubeconfigFile(kubeconfig)
                .merge(
                        KubeconfigEntry.forCluster(
                                "prod",
                                URI.create("https://127.0.0.1:1"),
                                "pem",
                                new ExecStanza(
                                        "clusterconnect",
                                        List.of("token", "--cluster", "no", "--port", "0755"),
                                        Map.of("CC_MODE", "on"))),
                        true);

        String exec = kubectl(
                kubeconfig,
                "config",
                "view",
                "-o",
                "jsonpath={.users[0].user.exec.apiVersion} {.users[0].user.exec.command} {.users[0].user.exec.args} "
                        + "{.users[0].user.exec.interactiveMode} {.users[0].user.exec.provideClusterInfo} "
                        + "{.users[0].user.exec.env[0].name}={.users[0].user.exec.env[0].value}");

        // "no", "0755" and "on" are a bool, a number and a bool to kubectl's YAML 1.1 parser unless quoted
        assertEquals(
                "client.authentication.k8s.io/v1 clusterconnect [\"token\",\"--cluster\",\"no\",\"--port\",\"0755\"] "
                        + "IfAvailable false CC_MODE=on",
                exec);
    }

    private Path script(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
