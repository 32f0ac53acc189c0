package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The relay's REST API under /api/v1, through a real relay: CRUD, owner-only rules, kubeconfigs. */
class RelayApiTest {

    @TempDir
    static Path dir;

    static TestIssuer issuer;
    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer(dir);
        relay = TestRelay.start(dir, issuer, Map.of("relay.public-url", "https://relay.example.com:8443"));
    }

    @AfterAll
    static void stop() {
        relay.close();
        issuer.close();
    }

    @Test
    void creatingAClusterAnswersItsIdAOneTimeBootstrapTokenAndTheHelmLine() throws Exception {
        TestRelay.Answer created = relay.post("/api/v1/clusters", issuer.token("olivia"), "{\"name\":\"prod\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asText();
        String token = body.get("bootstrapToken").asText();
        assertThat(id).matches("[A-Za-z0-9_-]{22}");
        assertThat(body.get("name").asText()).isEqualTo("prod");
        assertThat(body.get("owner").asText()).isEqualTo("olivia");
        assertThat(token).hasSize(43);
        assertThat(body.get("bootstrapExpiresAt").asText()).isNotBlank();
        assertThat(body.get("helmInstall").asText())
                .isEqualTo("helm install clusterconnect-agent helm/clusterconnect-agent"
                        + " --namespace clusterconnect --create-namespace"
                        + " --set relay.url=wss://relay.example.com:8443/agent/v1/connect --set clusterId=" + id
                        + " --set bootstrap.token=" + token);
    }

    @Test
    void anOperationRunsOnTheApiPoolNotOnTheEventLoop() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        // Tests address routes by id: a probe just before the operation's bean records its thread.
        AdviceWith.adviceWith(
                relay.main.getCamelContext(),
                "relay-api-list-clusters",
                route -> route.weaveByType(org.apache.camel.model.BeanDefinition.class)
                        .before()
                        .process(exchange -> threads.add(Thread.currentThread().getName())));

        assertThat(relay.get("/api/v1/clusters", issuer.token("olivia")).status())
                .isEqualTo(200);
        assertThat(threads).singleElement().asString().endsWith(" - relay-api");
    }

    @Test
    void aSecondClusterOfTheSameNameIsAConflictAndABadNameIsABadRequest() throws Exception {
        String owner = issuer.token("oscar");
        relay.createCluster(owner, "twin");
        TestRelay.Answer again = relay.post("/api/v1/clusters", owner, "{\"name\":\"twin\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("kind").asText()).isEqualTo("Status");
        assertThat(relay.post("/api/v1/clusters", owner, "{\"name\":\"Not A Label\"}")
                        .status())
                .isEqualTo(400);
        assertThat(relay.post("/api/v1/clusters", owner, "not json").status()).isEqualTo(400);
        assertThat(relay.post("/api/v1/clusters", owner, "{}").status()).isEqualTo(400);
    }

    @Test
    void theApiRefusesCallersWithoutAValidTokenAndUnknownPathsAsStatus() throws Exception {
        assertThat(relay.get("/api/v1/clusters", null).status()).isEqualTo(401);
        assertThat(relay.get("/api/v1/clusters", "garbage").status()).isEqualTo(401);
        TestRelay.Answer unknown = relay.get("/api/v1/nothing-here", issuer.token("olivia"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("kind").asText()).isEqualTo("Status");
        assertThat(relay.send("PUT", "/api/v1/clusters", issuer.token("olivia"), "{}")
                        .status())
                .isEqualTo(405);
        assertThat(relay.get("/api/v1/clusters/NoSuchCluster1234567890", issuer.token("olivia"))
                        .status())
                .isEqualTo(404);
        // a path the API does not have is still authenticated first: kubectl get --raw /api/v1/...
        // through a relay kubeconfig lands here, and a bad token must hear about the token
        assertThat(relay.get("/api/v1/namespaces/default/pods", null).status()).isEqualTo(401);
        assertThat(relay.send("PUT", "/api/v1/clusters", "garbage", "{}").status())
                .isEqualTo(401);
    }

    @Test
    void listingShowsOwnedAndGrantedClustersWithTheirConnectionStatus() throws Exception {
        String owner = issuer.token("lena");
        String mine = relay.createCluster(owner, "mine");
        String other = relay.createCluster(issuer.token("someone-else"), "theirs");
        String shared = relay.createCluster(issuer.token("someone-else"), "shared");
        relay.post(
                "/api/v1/clusters/" + shared + "/grants",
                issuer.token("someone-else"),
                "{\"kind\":\"USER\",\"subject\":\"lena\"}");

        JsonNode items = relay.get("/api/v1/clusters", owner).json().get("items");
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        assertThat(ids).contains(mine, shared).doesNotContain(other);
        items.forEach(item -> assertThat(item.get("connected").asBoolean()).isFalse());

        JsonNode one = relay.get("/api/v1/clusters/" + shared, owner).json();
        assertThat(one.get("owner").asText()).isEqualTo("someone-else");
        assertThat(relay.get("/api/v1/clusters/" + other, owner).status()).isEqualTo(403);
    }

    @Test
    void onlyTheOwnerDeletesIssuesTokensAndManagesGrants() throws Exception {
        String owner = issuer.token("otto");
        String grantee = issuer.token("gina");
        String id = relay.createCluster(owner, "guarded");
        assertThat(relay.post("/api/v1/clusters/" + id + "/grants", owner, "{\"kind\":\"USER\",\"subject\":\"gina\"}")
                        .status())
                .isEqualTo(201);

        // gina may reach the cluster and read its grants, but not change anything
        assertThat(relay.get("/api/v1/clusters/" + id + "/grants", grantee)
                        .json()
                        .get("items")
                        .get(0)
                        .get("subject")
                        .asText())
                .isEqualTo("gina");
        TestRelay.Answer refused =
                relay.post("/api/v1/clusters/" + id + "/grants", grantee, "{\"kind\":\"USER\",\"subject\":\"eve\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("message").asText()).contains("only the owner");
        assertThat(relay.delete("/api/v1/clusters/" + id + "/grants/USER/gina", grantee)
                        .status())
                .isEqualTo(403);
        assertThat(relay.post("/api/v1/clusters/" + id + "/bootstrap-tokens", grantee, null)
                        .status())
                .isEqualTo(403);
        assertThat(relay.delete("/api/v1/clusters/" + id, grantee).status()).isEqualTo(403);

        TestRelay.Answer fresh = relay.post("/api/v1/clusters/" + id + "/bootstrap-tokens", owner, null);
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.json().get("bootstrapToken").asText()).hasSize(43);
        assertThat(relay.post("/api/v1/clusters/" + id + "/grants", owner, "{\"kind\":\"ROBOT\",\"subject\":\"x\"}")
                        .status())
                .isEqualTo(400);
        assertThat(relay.delete("/api/v1/clusters/" + id + "/grants/USER/nobody", owner)
                        .status())
                .isEqualTo(404);
        assertThat(relay.delete("/api/v1/clusters/" + id + "/grants/USER/gina", owner)
                        .status())
                .isEqualTo(200);
        assertThat(relay.get("/api/v1/clusters/" + id, grantee).status()).isEqualTo(403);

        assertThat(relay.delete("/api/v1/clusters/" + id, owner).status()).isEqualTo(200);
        assertThat(relay.get("/api/v1/clusters/" + id, owner).status()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubeconfigPointsAtTheRelayTrustsItsCaAndAsksTheCliForATokenOnEveryCall() throws Exception {
        String owner = issuer.token("kim");
        String id = relay.createCluster(owner, "kube");
        assertThat(relay.get("/api/v1/clusters/" + id + "/kubeconfig", issuer.token("stranger"))
                        .status())
                .isEqualTo(403);

        TestRelay.Answer answer = relay.get("/api/v1/clusters/" + id + "/kubeconfig", owner);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain(owner);
        Map<String, Object> config =
                (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(answer.body());
        assertThat(config).containsEntry("apiVersion", "v1").containsEntry("kind", "Config");
        String context = (String) config.get("current-context");
        Map<String, Object> cluster = (Map<String, Object>)
                ((List<Map<String, Object>>) config.get("clusters")).get(0).get("cluster");
        assertThat(cluster.get("server")).isEqualTo("https://relay.example.com:8443/clusters/" + id);
        assertThat(new String(
                        Base64.getDecoder().decode((String) cluster.get("certificate-authority-data")),
                        StandardCharsets.US_ASCII))
                .isEqualTo(Files.readString(dir.resolve("ca.crt")));
        Map<String, Object> user = (Map<String, Object>)
                ((List<Map<String, Object>>) config.get("users")).get(0).get("user");
        Map<String, Object> exec = (Map<String, Object>) user.get("exec");
        assertThat(exec)
                .containsEntry("command", "clusterconnect")
                .containsEntry("apiVersion", "client.authentication.k8s.io/v1")
                .containsEntry("args", List.of("token", "--cluster", id));
        assertThat(user).containsOnlyKeys("exec");
        Map<String, Object> ctx = (Map<String, Object>) ((List<Map<String, Object>>) config.get("contexts")).get(0);
        assertThat(ctx.get("name")).isEqualTo(context);
    }
}
