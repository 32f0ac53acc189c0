package dev.clusterconnect.routes.identity;

import static dev.clusterconnect.routes.identity.Tokens.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One authenticator trusting five issuers at once, each configured by preset with its own audience,
 * fed tokens shaped like the real providers' (claims copied from their documentation).
 */
class PresetMappingTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String OID = "6e3b5d4e-0b3a-4bd6-8a0f-0c6d9d2c9f11";
    private static final List<String> GROUP_IDS =
            List.of("a1b2c3d4-0000-4000-8000-000000000001", "a1b2c3d4-0000-4000-8000-000000000002");

    @TempDir
    static Path directory;

    private static OidcTestServer server;
    private static TokenAuthenticator authenticator;

    @BeforeAll
    static void startIssuers() throws Exception {
        server = new OidcTestServer(directory);
        AuthenticatorSettings.Builder settings = AuthenticatorSettings.builder()
                .issuer(preset("entra-v1", "api://clusterconnect-v1", IssuerPreset.ENTRA_V1)
                        .groupsPrefix("entra:")
                        .build())
                .issuer(preset("entra-v2", "api://clusterconnect-v2", IssuerPreset.ENTRA_V2)
                        .build())
                .issuer(preset("keycloak", "clusterconnect", IssuerPreset.KEYCLOAK)
                        .usernamePrefix("keycloak:")
                        .groupsPrefix("keycloak:")
                        .build())
                .issuer(preset("github", "https://github.com/octo-org", IssuerPreset.GITHUB_ACTIONS)
                        .usernamePrefix("github:")
                        .build())
                .issuer(preset("google", "1234.apps.googleusercontent.com", IssuerPreset.GOOGLE)
                        .build());
        authenticator = TokenAuthenticator.create(settings.build());
    }

    @AfterAll
    static void stopIssuers() {
        server.close();
    }

    @Test
    void entraV1MapsUpnGroupsAndObjectId() {
        String token = server.issue(
                "entra-v1",
                "api://clusterconnect-v1",
                Map.of(
                        "ver",
                        "1.0",
                        "upn",
                        "alice@contoso.com",
                        "unique_name",
                        "alice@contoso.com",
                        "oid",
                        OID,
                        "tid",
                        TENANT,
                        "groups",
                        GROUP_IDS,
                        "appid",
                        "00000000-0000-0000-0000-000000000000"));

        assertEquals(
                new KubeIdentity(
                        "alice@contoso.com",
                        List.of("entra:" + GROUP_IDS.get(0), "entra:" + GROUP_IDS.get(1)),
                        OID,
                        Map.of("tid", List.of(TENANT))),
                identity(token));
    }

    @Test
    void entraV2MapsPreferredUsernameGroupsAndObjectId() {
        String token = server.issue(
                "entra-v2",
                "api://clusterconnect-v2",
                Map.of(
                        "ver",
                        "2.0",
                        "preferred_username",
                        "alice@contoso.com",
                        "name",
                        "Alice",
                        "oid",
                        OID,
                        "tid",
                        TENANT,
                        "groups",
                        GROUP_IDS,
                        "azp",
                        "00000000-0000-0000-0000-000000000000"));

        assertEquals(
                new KubeIdentity("alice@contoso.com", GROUP_IDS, OID, Map.of("tid", List.of(TENANT))), identity(token));
    }

    @Test
    void entraGroupOverageIsRefusedNotShortened() {
        String token = server.issue(
                "entra-v2",
                "api://clusterconnect-v2",
                Map.of(
                        "preferred_username",
                        "alice@contoso.com",
                        "oid",
                        OID,
                        "tid",
                        TENANT,
                        "_claim_names",
                        Map.of("groups", "src1"),
                        "_claim_sources",
                        Map.of(
                                "src1",
                                Map.of(
                                        "endpoint",
                                        "https://graph.microsoft.com/v1.0/users/" + OID + "/getMemberObjects"))));

        assertRefused(authenticator.authenticate(token), 401, RefusalReason.GROUP_OVERAGE, token);
    }

    @Test
    void keycloakMapsPreferredUsernameAndGroupPaths() {
        String token = server.issue(
                "keycloak",
                "keycloak-subject-uuid",
                "clusterconnect",
                Map.of(
                        "preferred_username",
                        "alice",
                        "email",
                        "alice@example.com",
                        "email_verified",
                        true,
                        "groups",
                        List.of("/platform", "/platform/admins"),
                        "azp",
                        "kubectl"),
                300);

        assertEquals(
                new KubeIdentity(
                        "keycloak:alice",
                        List.of("keycloak:/platform", "keycloak:/platform/admins"),
                        "keycloak-subject-uuid",
                        Map.of()),
                identity(token));
    }

    @Test
    void githubActionsMapsTheWorkflowSubjectAndCopiesRepositoryRefAndWorkflow() {
        String subject = "repo:octo-org/octo-repo:ref:refs/heads/main";
        String token = server.issue(
                "github",
                subject,
                "https://github.com/octo-org",
                Map.of(
                        "repository",
                        "octo-org/octo-repo",
                        "repository_owner",
                        "octo-org",
                        "ref",
                        "refs/heads/main",
                        "workflow",
                        "deploy",
                        "actor",
                        "octocat",
                        "event_name",
                        "push",
                        "run_id",
                        "5678"),
                300);

        Authentication.Authenticated result = authenticated(token);
        assertEquals(
                new KubeIdentity(
                        "github:" + subject,
                        List.of(),
                        null,
                        Map.of(
                                "repository",
                                List.of("octo-org/octo-repo"),
                                "ref",
                                List.of("refs/heads/main"),
                                "workflow",
                                List.of("deploy"))),
                result.identity());
        assertEquals(subject, result.subject());
    }

    @Test
    void googleMapsTheVerifiedEmailAndTheStableSubject() {
        String token = server.issue(
                "google",
                "110169484474386276334",
                "1234.apps.googleusercontent.com",
                Map.of(
                        "email",
                        "alice@example.com",
                        "email_verified",
                        true,
                        "hd",
                        "example.com",
                        "azp",
                        "1234.apps.googleusercontent.com"),
                300);

        assertEquals(
                new KubeIdentity(
                        "alice@example.com", List.of(), "110169484474386276334", Map.of("hd", List.of("example.com"))),
                identity(token));
    }

    @Test
    void googleUnverifiedEmailIsRefused() {
        String token = server.issue(
                "google",
                "110169484474386276334",
                "1234.apps.googleusercontent.com",
                Map.of("email", "alice@example.com", "email_verified", false),
                300);

        assertRefused(authenticator.authenticate(token), 401, RefusalReason.UNVERIFIED_EMAIL, token);
    }

    @Test
    void eachIssuerOnlyAcceptsItsOwnAudience() {
        String token = server.issue("keycloak", "api://clusterconnect-v2", Map.of("preferred_username", "alice"));

        assertRefused(authenticator.authenticate(token), 401, RefusalReason.WRONG_AUDIENCE, token);
    }

    private static IssuerSettings.Builder preset(String issuerId, String audience, IssuerPreset preset) {
        return IssuerSettings.builder(server.issuer(issuerId), audience)
                .preset(preset)
                .caFile(server.caFile());
    }

    private static Authentication.Authenticated authenticated(String token) {
        return assertInstanceOf(Authentication.Authenticated.class, authenticator.authenticate(token));
    }

    private static KubeIdentity identity(String token) {
        return authenticated(token).identity();
    }
}
