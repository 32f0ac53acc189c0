package dev.clusterconnect.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The agent may impersonate and touch its own key Secret; nothing more. */
class AgentRbacTest {

    private static final Chart AGENT = Chart.AGENT;

    /** (apiGroup, resource, verb) triples, so rule layout does not matter, only what is granted. */
    private static Set<List<String>> grants(List<PolicyRule> rules) {
        Set<List<String>> grants = new HashSet<>();
        for (PolicyRule rule : rules) {
            assertTrue(rule.getNonResourceURLs().isEmpty(), "no non-resource URLs");
            assertTrue(rule.getResourceNames().isEmpty(), "impersonation is not limited by name");
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(List.of(group, resource, verb));
                    }
                }
            }
        }
        return grants;
    }

    @Test
    void clusterRoleGrantsImpersonationAndNothingElse() {
        ClusterRole role = AGENT.render().one(ClusterRole.class);

        assertEquals(
                Set.of(
                        List.of("", "users", "impersonate"),
                        List.of("", "groups", "impersonate"),
                        List.of("", "serviceaccounts", "impersonate"),
                        List.of("authentication.k8s.io", "uids", "impersonate"),
                        List.of("authentication.k8s.io", "userextras/*", "impersonate")),
                grants(role.getRules()));
        assertEquals(null, role.getAggregationRule(), "aggregation could add rules later");
    }

    @Test
    void fullValuesDoNotWidenTheClusterRole() {
        Manifests manifests = AGENT.render(AGENT.fullValues());
        assertEquals(
                grants(AGENT.render().one(ClusterRole.class).getRules()),
                grants(manifests.one(ClusterRole.class).getRules()));
    }

    @Test
    void bindingsGiveBothRolesToTheAgentsServiceAccountOnly() {
        for (Manifests manifests : List.of(AGENT.render(), AGENT.render(AGENT.fullValues()))) {
            String serviceAccount = manifests.podSpec().getServiceAccountName();
            Subject expected = new Subject(null, "ServiceAccount", serviceAccount, Chart.NAMESPACE);

            ClusterRoleBinding clusterBinding = manifests.one(ClusterRoleBinding.class);
            assertEquals(
                    manifests.one(ClusterRole.class).getMetadata().getName(),
                    clusterBinding.getRoleRef().getName());
            assertEquals(List.of(expected), clusterBinding.getSubjects());

            RoleBinding binding = manifests.one(RoleBinding.class);
            assertEquals(
                    manifests.one(Role.class).getMetadata().getName(),
                    binding.getRoleRef().getName());
            assertEquals("Role", binding.getRoleRef().getKind());
            assertEquals(List.of(expected), binding.getSubjects());
        }
    }

    @Test
    void clusterRoleNameIncludesTheNamespaceSoTwoReleasesDoNotCollide() {
        String name = AGENT.render().one(ClusterRole.class).getMetadata().getName();
        assertTrue(name.contains(Chart.NAMESPACE), name);
    }

    @Test
    void roleReachesOnlyTheKeySecretWithGetUpdatePatch() {
        Manifests manifests = AGENT.render();
        String keySecret = manifests.applicationProperties().getProperty("agent.key.secret-name");
        assertEquals(Chart.RELEASE + "-agent-key", keySecret);

        List<PolicyRule> rules = manifests.one(Role.class).getRules();
        assertEquals(1, rules.size());
        PolicyRule rule = rules.get(0);
        assertEquals(List.of(""), rule.getApiGroups());
        assertEquals(List.of("secrets"), rule.getResources());
        assertEquals(List.of(keySecret), rule.getResourceNames());
        assertEquals(Set.of("get", "update", "patch"), Set.copyOf(rule.getVerbs()));
        assertEquals(3, rule.getVerbs().size());
    }

    @Test
    void keySecretIsCreatedEmptySoTheAgentFillsIt() {
        Secret key = AGENT.render().all(Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals(Chart.RELEASE + "-agent-key"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                key.getData().isEmpty() && key.getStringData().isEmpty(),
                "data rendered by Helm would overwrite the agent's key on upgrade");
    }

    @Test
    void aSecretNamedByValuesIsUsedAndNotCreated() {
        Manifests manifests = AGENT.render("keySecret.create=false", "keySecret.name=agent-identity");

        assertEquals(
                List.of("agent-identity"),
                manifests.one(Role.class).getRules().get(0).getResourceNames());
        assertEquals("agent-identity", manifests.applicationProperties().getProperty("agent.key.secret-name"));
        assertTrue(manifests.all(Secret.class).isEmpty(), "no key Secret and no bootstrap Secret");
    }

    @Test
    void notCreatingTheKeySecretRequiresItsName() {
        String message = AGENT.renderFailure("keySecret.create=false");
        assertTrue(message.contains("keySecret.name is required"), message);
    }

    @Test
    void keySecretSurvivesUninstallOnlyWhenAskedTo() {
        Secret kept =
                AGENT.render("keySecret.keepOnUninstall=true").all(Secret.class).get(0);
        assertEquals("keep", kept.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        Secret dropped = AGENT.render().all(Secret.class).get(0);
        assertTrue(dropped.getMetadata().getAnnotations().isEmpty());
    }
}
