package dev.clusterconnect.sandbox.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox as a new cluster with RBAC ({@code rbac(true)}, no demo pods): nothing is allowed
 * that a stored binding does not grant, and kubectl prints the apiserver's own refusals.
 */
class RbacTest {

    private static final String ADMIN = "admin-token";
    private static final String AGENT = "agent-token";
    private static final String CAROL = "carol-token";

    @TempDir
    static Path dir;

    private static SandboxApiServer server;
    private static Kubectl admin;
    private static Kubectl agent;
    private static Kubectl carol;

    @BeforeAll
    static void start() {
        server = SandboxApiServer.builder()
                .rbac(true)
                .token(ADMIN, "kubernetes-admin", "system:masters")
                .token(AGENT, "system:serviceaccount:clusterconnect:agent")
                .token(CAROL, "carol", "sre")
                .build()
                .start();
        admin = Kubectl.forServer(server, ADMIN, dir);
        agent = Kubectl.forServer(server, AGENT, dir);
        carol = Kubectl.forServer(server, CAROL, dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void metricsAreForTheMonitoringGroupAndAdminsAsInKubernetes() {
        Kubectl.Result refused = carol.run("get", "--raw", "/metrics");
        assertNotEquals(0, refused.exitCode());
        assertTrue(
                refused.stderr().contains("forbidden: User \"carol\" cannot get path \"/metrics\""), refused.stderr());
        assertEquals(0, carol.run("get", "--raw", "/readyz").exitCode());

        String metrics = admin.run("get", "--raw", "/metrics").ok().stdout();
        assertTrue(metrics.contains("# TYPE apiserver_request_total counter"), metrics);
        assertTrue(metrics.matches("(?s).*apiserver_request_total\\{verb=\"GET\"} [1-9][0-9]*\n.*"), metrics);
    }

    @Test
    void aUserWithoutABindingIsForbiddenInTheApiserversWordsUntilAGroupBindingLetsHerInOneNamespace() {
        admin.run("create", "namespace", "team-a").ok();
        Kubectl.Result refused = carol.run("get", "pods", "-n", "team-a");
        assertNotEquals(0, refused.exitCode());
        assertTrue(
                refused.stderr()
                        .contains("Error from server (Forbidden): pods is forbidden: User \"carol\" cannot list "
                                + "resource \"pods\" in API group \"\" in the namespace \"team-a\""),
                refused.stderr());

        apply(admin, binding("RoleBinding", "sre-edit", "team-a", "ClusterRole", "edit", "Group", "sre"));
        carol.run("create", "configmap", "allowed", "-n", "team-a", "--from-literal=k=v")
                .ok();
        assertTrue(carol.run("get", "configmaps", "-n", "team-a").ok().stdout().contains("allowed"));
        Kubectl.Result elsewhere = carol.run("get", "configmaps", "-n", "default");
        assertTrue(
                elsewhere
                        .stderr()
                        .contains("cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\""),
                elsewhere.stderr());
        // a namespace is in itself: the binding there lets her read it, as the apiserver's RequestInfo has it
        assertTrue(carol.run("get", "namespace", "team-a").ok().stdout().contains("team-a"));
        Kubectl.Result clusterScope = carol.run("get", "namespaces");
        assertTrue(
                clusterScope
                        .stderr()
                        .contains("namespaces is forbidden: User \"carol\" cannot list resource \"namespaces\" "
                                + "in API group \"\" at the cluster scope"),
                clusterScope.stderr());

        admin.run("delete", "namespace", "team-a").ok();
        assertNotEquals(0, carol.run("get", "configmaps", "-n", "team-a").exitCode());
    }

    @Test
    void creatingABindingTwiceIsAlreadyExistsWithKubectlsMessage() {
        admin.run("create", "namespace", "team-b").ok();
        String yaml = binding("RoleBinding", "twice", "team-b", "ClusterRole", "view", "User", "dave");
        admin.run(yaml.getBytes(StandardCharsets.UTF_8), "create", "-f", "-").ok();
        Kubectl.Result again = admin.run(yaml.getBytes(StandardCharsets.UTF_8), "create", "-f", "-");
        assertNotEquals(0, again.exitCode());
        assertTrue(
                again.stderr()
                        .contains(
                                "Error from server (AlreadyExists): error when creating \"STDIN\": rolebindings.rbac.authorization.k8s.io \"twice\" "
                                        + "already exists"),
                again.stderr());
        admin.run("delete", "namespace", "team-b").ok();
    }

    @Test
    void impersonationNeedsTheImpersonateVerbForTheUserAndForEachGroup() {
        // not `auth whoami`: it answers any 403 with a message of its own
        Kubectl.Result refused = agent.run("--as=alice", "get", "pods");
        assertTrue(
                refused.stderr()
                        .contains("users \"alice\" is forbidden: User \"system:serviceaccount:clusterconnect:agent\" "
                                + "cannot impersonate resource \"users\" in API group \"\" at the cluster scope"),
                refused.stderr());

        apply(
                admin,
                """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: impersonate-users}
        rules:
        - apiGroups: [""]
          resources: ["users"]
          verbs: ["impersonate"]
        """ + "---\n"
                        + binding(
                                "ClusterRoleBinding",
                                "agent-impersonates",
                                null,
                                "ClusterRole",
                                "impersonate-users",
                                "ServiceAccount",
                                "agent"));
        assertTrue(agent.run("--as=alice", "auth", "whoami").ok().stdout().contains("alice"));
        Kubectl.Result group = agent.run("--as=alice", "--as-group=dev", "get", "pods");
        assertTrue(
                group.stderr()
                        .contains("groups \"dev\" is forbidden: User \"system:serviceaccount:clusterconnect:agent\" "
                                + "cannot impersonate resource \"groups\" in API group \"\" at the cluster scope"),
                group.stderr());
        // impersonated alice has no binding of her own
        assertTrue(agent.run("--as=alice", "get", "pods")
                .stderr()
                .contains("User \"alice\" cannot list resource \"pods\""));
        admin.run("delete", "clusterrolebinding", "agent-impersonates").ok();
        assertNotEquals(0, agent.run("--as=alice", "auth", "whoami").exitCode());
    }

    @Test
    void theBootstrapRolesAreThereAndCanIAnswersFromBindings() {
        String roles = admin.run("get", "clusterroles", "-o", "name").ok().stdout();
        for (String role :
                new String[] {"cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user"}) {
            assertTrue(roles.contains("clusterrole.rbac.authorization.k8s.io/" + role + "\n"), roles);
        }
        assertEquals(
                "yes",
                admin.run("auth", "can-i", "create", "clusterrolebindings")
                        .ok()
                        .stdout()
                        .trim());
        assertEquals(
                "no",
                carol.run("auth", "can-i", "list", "pods", "-n", "default")
                        .stdout()
                        .trim());
    }

    private static void apply(Kubectl kubectl, String yaml) {
        kubectl.run(yaml.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-").ok();
    }

    private static String binding(
            String kind,
            String name,
            String namespace,
            String roleKind,
            String role,
            String subjectKind,
            String subject) {
        String subjectNamespace = subjectKind.equals("ServiceAccount") ? ", namespace: clusterconnect" : "";
        return """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: %s%s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}
        subjects:
        - {kind: %s, name: %s%s}
        """.formatted(
                        kind,
                        name,
                        namespace == null ? "" : ", namespace: " + namespace,
                        roleKind,
                        role,
                        subjectKind,
                        subject,
                        subjectNamespace);
    }
}
