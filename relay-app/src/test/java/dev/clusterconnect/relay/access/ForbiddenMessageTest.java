package dev.clusterconnect.relay.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The 403 says which groups the relay saw, and what to change when they are not what a grant names. */
class ForbiddenMessageTest {

    @Test
    void aCallerWithoutGroupsIsPointedAtTheGroupMembershipMapper() {
        assertThat(ForbiddenMessage.of("keycloak:alice", List.of(), "c1"))
                .startsWith("user keycloak:alice may not reach cluster c1; the token gave no groups")
                .contains("Group Membership mapper");
    }

    @Test
    void keycloakFullGroupPathsAreRecognisedWithOrWithoutAPrefix() {
        assertThat(ForbiddenMessage.of("alice", List.of("/sre"), "c1"))
                .isEqualTo("user alice may not reach cluster c1; groups /sre are Keycloak full group paths:"
                        + " grant the path as it is, or turn off 'Full group path' in the Group Membership mapper");
        assertThat(ForbiddenMessage.of("keycloak:alice", List.of("keycloak:dev", "keycloak:/platform/sre"), "c1"))
                .contains("groups keycloak:dev, keycloak:/platform/sre are Keycloak full group paths");
    }

    @Test
    void plainGroupsAreListedWithoutAHint() {
        assertThat(ForbiddenMessage.of("alice", List.of("dev", "team/ops"), "c1"))
                .isEqualTo("user alice may not reach cluster c1; groups dev, team/ops");
    }

    @Test
    void manyGroupsAreCutToAFewSoTheMessageFitsAWarningHeader() {
        List<String> groups = IntStream.range(0, 200)
                .mapToObj(i -> "a1b2c3d4-0000-4000-8000-00000000%04d".formatted(i))
                .toList();
        String message = ForbiddenMessage.of("alice@contoso.com", groups, "c1");
        assertThat(message)
                .endsWith("a1b2c3d4-0000-4000-8000-000000000004 and 195 more")
                .hasSizeLessThan(512);
    }
}
