package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.KubeIdentity;
import dev.clusterconnect.routes.identity.RefusalReason;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Entra ID and GitHub Actions recipes of docs/identity.md: their properties blocks, read from
 * the document, given tokens shaped like those services' (every claim they send, the values from
 * their documentation), from a real OIDC server. Only the issuer URL differs: the test server's
 * stands in for Microsoft's and GitHub's.
 */
class IdentityRecipesTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String APPLICATION_ID = "6731de76-14a6-49ae-97bc-6eba6914391e";
    private static final String CLIENT_APPLICATION_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
    private static final String OID = "6e3b5d4e-0b3a-4bd6-8a0f-0c6d9d2c9f11";
    private static final List<String> GROUPS =
            List.of("5e3b1d2a-7c4f-4e2b-9a1d-3f6c8b0e2a11", "0b8e9f3c-2d4a-4f6b-8c1e-7a5d3b9f0c22");
    private static final String REPOSITORY = "octo-org/octo-repo";

    @TempDir
    static Path dir;

    private static Issuer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new Issuer(dir);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void entraRecipeMakesTheUserPrincipalNameHerGroupObjectIdsAndHerObjectId() throws Exception {
        Authentication result = entra().authenticate(server.token(
                "entra",
                "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
                APPLICATION_ID,
                entraAccessToken(Map.of("groups", GROUPS))));

        assertThat(result).isInstanceOf(Authentication.Authenticated.class);
        assertThat(((Authentication.Authenticated) result).identity())
                .isEqualTo(new KubeIdentity(
                        "entra:alice@contoso.com",
                        List.of("entra:" + GROUPS.get(0), "entra:" + GROUPS.get(1)),
                        OID,
                        Map.of("tid", List.of(TENANT))));
    }

    @Test
    void entraUserInNoGroupHasNoGroupsClaimAndIsAUserWithoutGroups() throws Exception {
        Authentication result = entra().authenticate(server.token(
                "entra", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", APPLICATION_ID, entraAccessToken(Map.of())));

        assertThat(((Authentication.Authenticated) result).identity().groups()).isEmpty();
    }

    @Test
    void entraGroupOverageIsRefusedSayingWhy() throws Exception {
        Authentication result = entra().authenticate(server.token(
                "entra",
                "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
                APPLICATION_ID,
                entraAccessToken(Map.of(
                        "_claim_names", Map.of("groups", "src1"),
                        "_claim_sources",
                                Map.of(
                                        "src1",
                                        Map.of(
                                                "endpoint",
                                                "https://graph.windows.net/" + TENANT + "/users/" + OID
                                                        + "/getMemberObjects"))))));

        assertThat(result).isInstanceOf(Authentication.Refused.class);
        assertThat(((Authentication.Refused) result).reason()).isEqualTo(RefusalReason.GROUP_OVERAGE);
        assertThat(((Authentication.Refused) result).message()).contains("group overage");
    }

    @Test
    void entraTokenForTheApplicationIdUriIsRefusedNamingTheAudienceThatCame() throws Exception {
        // what a v1 token requested by the Application ID URI carries: not the v2 recipe's audience
        Authentication result = entra().authenticate(server.token(
                "entra",
                "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
                "api://" + APPLICATION_ID,
                entraAccessToken(Map.of("groups", GROUPS))));

        assertThat(((Authentication.Refused) result).message())
                .startsWith("token audience is [\"api://" + APPLICATION_ID + "\"], expected " + APPLICATION_ID);
    }

    @Test
    void githubRecipeMakesTheWorkflowSubjectTheUserWithRepositoryRefAndWorkflowAsExtras() throws Exception {
        String subject = "repo:" + REPOSITORY + ":ref:refs/heads/main";
        Authentication result = github().authenticate(
                        server.token("github", subject, "clusterconnect", githubToken("refs/heads/main", Map.of())));

        assertThat(((Authentication.Authenticated) result).identity())
                .isEqualTo(new KubeIdentity(
                        "github:" + subject,
                        List.of(),
                        null,
                        Map.of(
                                "repository",
                                List.of(REPOSITORY),
                                "ref",
                                List.of("refs/heads/main"),
                                "workflow",
                                List.of("deploy"))));
    }

    @Test
    void githubJobInAnEnvironmentIsNamedByTheEnvironment() throws Exception {
        String subject = "repo:" + REPOSITORY + ":environment:production";
        Authentication result = github().authenticate(server.token(
                "github",
                subject,
                "clusterconnect",
                githubToken("refs/heads/main", Map.of("environment", "production"))));

        assertThat(((Authentication.Authenticated) result).identity().user())
                .isEqualTo("github:repo:octo-org/octo-repo:environment:production");
    }

    @Test
    void githubTokenWithTheDefaultAudienceIsRefusedNamingIt() throws Exception {
        Authentication result = github().authenticate(server.token(
                "github",
                "repo:" + REPOSITORY + ":ref:refs/heads/main",
                "https://github.com/octo-org",
                githubToken("refs/heads/main", Map.of())));

        assertThat(((Authentication.Refused) result).message())
                .startsWith("token audience is [\"https://github.com/octo-org\"], expected clusterconnect")
                .contains("GitHub Actions: request the token for that audience");
    }

    private static TokenAuthenticator entra() throws Exception {
        return recipe(
                "entra-properties",
                Map.of(
                        "https://login.microsoftonline.com/<tenant>/v2.0",
                        server.url("entra"),
                        "<application-id>",
                        APPLICATION_ID));
    }

    private static TokenAuthenticator github() throws Exception {
        return recipe("github-properties", Map.of("https://token.actions.githubusercontent.com", server.url("github")));
    }

    /** The recipe's properties with the placeholders filled in, trusting the test server's certificate. */
    private static TokenAuthenticator recipe(String block, Map<String, String> placeholders) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        String name = null;
        for (var entry : DocBlocks.properties("identity.md", block).entrySet()) {
            String value = entry.getValue();
            for (var placeholder : placeholders.entrySet()) {
                value = value.replace(placeholder.getKey(), placeholder.getValue());
            }
            properties.put(entry.getKey(), value);
            name = entry.getKey().split("\\.")[3];
        }
        properties.put("agent.oidc.issuers." + name + ".ca-file", server.caFile.toString());
        return TokenAuthenticator.fromProperties(properties, "agent.oidc");
    }

    /** The claims of an Entra ID v2 access token for a user, besides iss, sub, aud and the times. */
    private static Map<String, Object> entraAccessToken(Map<String, Object> more) {
        Map<String, Object> claims = new LinkedHashMap<>(Map.of(
                "aio",
                "AXQAi/8UAAAAqxsuB+R4D2rFQqOETO4YdXbLD9kZ8xfXadeAM0Q2NkNT5izfg3uwbWSXhuSSj6UT5hy2D6WqApB5jKA6ZgZ9k",
                "azp",
                CLIENT_APPLICATION_ID,
                "azpacr",
                "0",
                "name",
                "Alice Smith",
                "oid",
                OID,
                "preferred_username",
                "alice@contoso.com",
                "rh",
                "I",
                "scp",
                "access",
                "tid",
                TENANT));
        claims.putAll(Map.of("uti", "fqiBqXLPj0eQa82S-IYFAA", "ver", "2.0"));
        claims.putAll(more);
        return claims;
    }

    /** The claims of the runner's token for a push to {@code ref}, besides iss, sub, aud and the times. */
    private static Map<String, Object> githubToken(String ref, Map<String, Object> more) {
        Map<String, Object> claims = new LinkedHashMap<>(Map.of(
                "ref",
                ref,
                "sha",
                "example-sha",
                "repository",
                REPOSITORY,
                "repository_owner",
                "octo-org",
                "repository_owner_id",
                "123456",
                "run_id",
                "5678",
                "run_number",
                "42",
                "run_attempt",
                "1",
                "repository_visibility",
                "private",
                "repository_id",
                "74"));
        claims.putAll(Map.of(
                "actor",
                "octocat",
                "actor_id",
                "583231",
                "workflow",
                "deploy",
                "head_ref",
                "",
                "base_ref",
                "",
                "event_name",
                "push",
                "ref_type",
                "branch",
                "ref_protected",
                "true",
                "workflow_ref",
                REPOSITORY + "/.github/workflows/deploy.yml@" + ref,
                "runner_environment",
                "github-hosted"));
        claims.putAll(Map.of(
                "job_workflow_ref",
                REPOSITORY + "/.github/workflows/deploy.yml@" + ref,
                "workflow_sha",
                "example-sha",
                "job_workflow_sha",
                "example-sha"));
        claims.putAll(more);
        return claims;
    }
}
