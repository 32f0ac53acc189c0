package dev.clusterconnect.routes.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claim shapes to identity, without a server: types, prefixes, extras and the refusals. */
class ClaimMapperTest {

    private final ClaimMapping mapping =
            new ClaimMapping("preferred_username", "oidc:", "groups", "oidc:", "oid", List.of("tid", "Roles", "amr"));
    private final ClaimMapper mapper = new ClaimMapper(mapping, false);

    @Test
    void mapsUserGroupsUidAndExtrasWithPrefixes() throws Exception {
        KubeIdentity identity = mapper.map(claims(Map.of(
                "preferred_username",
                "alice",
                "oid",
                "uid-1",
                "groups",
                List.of("dev", "ops"),
                "tid",
                "tenant",
                "Roles",
                List.of("reader", "writer"))));

        assertEquals(
                new KubeIdentity(
                        "oidc:alice",
                        List.of("oidc:dev", "oidc:ops"),
                        "uid-1",
                        Map.of("tid", List.of("tenant"), "roles", List.of("reader", "writer"))),
                identity);
    }

    @Test
    void singleStringGroupBecomesAOneElementList() throws Exception {
        KubeIdentity identity = mapper.map(claims(Map.of("preferred_username", "alice", "oid", "u", "groups", "dev")));

        assertEquals(List.of("oidc:dev"), identity.groups());
    }

    @Test
    void absentGroupsClaimMeansNoGroupsAndDuplicatesCollapse() throws Exception {
        assertEquals(
                List.of(),
                mapper.map(claims(Map.of("preferred_username", "alice", "oid", "u")))
                        .groups());
        assertEquals(
                List.of("oidc:dev"),
                mapper.map(claims(Map.of("preferred_username", "alice", "oid", "u", "groups", List.of("dev", "dev"))))
                        .groups());
    }

    @Test
    void scalarExtrasBecomeStrings() throws Exception {
        KubeIdentity identity =
                mapper.map(claims(Map.of("preferred_username", "alice", "oid", "u", "amr", List.of("pwd", 2, true))));

        assertEquals(Map.of("amr", List.of("pwd", "2", "true")), identity.extra());
    }

    @Test
    void nonStringGroupIsRefused() {
        assertReason(
                RefusalReason.INVALID_CLAIM,
                Map.of("preferred_username", "alice", "oid", "u", "groups", List.of("dev", Map.of("x", 1))));
    }

    @Test
    void nestedExtraIsRefused() {
        assertReason(
                RefusalReason.INVALID_CLAIM,
                Map.of("preferred_username", "alice", "oid", "u", "tid", Map.of("nested", "object")));
    }

    @Test
    void missingUidIsRefusedWhenMapped() {
        assertReason(RefusalReason.MISSING_CLAIM, Map.of("preferred_username", "alice"));
    }

    @Test
    void paddedOrControlCharacterValuesAreRefusedAsUnsendable() {
        assertReason(RefusalReason.UNSENDABLE_CLAIM, Map.of("preferred_username", "alice ", "oid", "u"));
        assertReason(
                RefusalReason.UNSENDABLE_CLAIM,
                Map.of("preferred_username", "alice", "oid", "u", "groups", List.of("dev\nImpersonate-Group: x")));
        assertReason(RefusalReason.UNSENDABLE_CLAIM, Map.of("preferred_username", "alice", "oid", "u\u0000"));
        assertReason(RefusalReason.UNSENDABLE_CLAIM, Map.of("preferred_username", "al\u007fice", "oid", "u"));
        assertReason(
                RefusalReason.UNSENDABLE_CLAIM, Map.of("preferred_username", "alice", "oid", "u", "tid", "tenant\rx"));
    }

    @Test
    void unpairedSurrogatesAreRefusedAsUnsendable() {
        assertReason(RefusalReason.UNSENDABLE_CLAIM, Map.of("preferred_username", "al\ud800ice", "oid", "u"));
        assertReason(
                RefusalReason.UNSENDABLE_CLAIM,
                Map.of("preferred_username", "alice", "oid", "u", "groups", List.of("dev\udc00")));
        assertReason(RefusalReason.UNSENDABLE_CLAIM, Map.of("preferred_username", "alice", "oid", "\udbff"));
    }

    /** Found by ClaimMapperFuzzTest: the identity's own check threw instead of a refusal. */
    @Test
    void aUsernameOfUnicodeBlanksIsRefusedAsMissingWhenNoPrefixMakesItAName() throws Exception {
        ClaimMapper unprefixed =
                new ClaimMapper(new ClaimMapping("preferred_username", "", null, "", null, List.of()), false);

        ClaimRejection rejection = assertThrows(
                ClaimRejection.class, () -> unprefixed.map(claims(Map.of("preferred_username", "\u2003\u3000"))));

        assertEquals(RefusalReason.MISSING_CLAIM, rejection.toRefused().reason());
        assertEquals(
                "oidc:\u2003",
                mapper.map(claims(Map.of("preferred_username", "\u2003", "oid", "u")))
                        .user());
    }

    @Test
    void theRefusalNamesTheClaimAndIsForbidden() {
        ClaimRejection rejection = assertThrows(
                ClaimRejection.class,
                () -> mapper.map(
                        claims(Map.of("preferred_username", "alice", "oid", "u", "groups", List.of("dev\r\nx")))));

        Authentication.Refused refused = rejection.toRefused();
        assertEquals(403, refused.httpStatus());
        assertEquals(
                "claim 'groups' holds control characters, which an impersonation header cannot carry",
                refused.message());
    }

    @Test
    void nonAsciiNamesAndSupplementaryCharactersAreKeptAsTheyAre() throws Exception {
        KubeIdentity identity = mapper.map(claims(Map.of(
                "preferred_username",
                "alíce",
                "oid",
                "u-\ud83d\ude00",
                "groups",
                List.of("山田", "ops"),
                "tid",
                "テナント")));

        assertEquals(
                new KubeIdentity(
                        "oidc:alíce", List.of("oidc:山田", "oidc:ops"), "u-\ud83d\ude00", Map.of("tid", List.of("テナント"))),
                identity);
    }

    @Test
    void prefixesAndExtraKeysThatNoHeaderCanCarryAreConfigurationErrors() {
        assertThrows(
                IllegalArgumentException.class, () -> new ClaimMapping("sub", "oidc\n", null, "", null, List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClaimMapping("sub", "", "groups", "g\ud800:", null, List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClaimMapping("sub", "", null, "", null, List.of("t\u0000id")));
    }

    @Test
    void reservedNamesAreCheckedAfterPrefixing() throws Exception {
        ClaimMapper unprefixed = new ClaimMapper(new ClaimMapping("sub", "", "groups", "", null, List.of()), false);

        assertReason(unprefixed, RefusalReason.RESERVED_IDENTITY, Map.of("sub", "SYSTEM:admin"));
        assertReason(
                unprefixed,
                RefusalReason.RESERVED_IDENTITY,
                Map.of("sub", "alice", "groups", List.of("system:authenticated")));
        assertEquals(
                "oidc:system:admin",
                mapper.map(claims(Map.of("preferred_username", "system:admin", "oid", "u")))
                        .user());
    }

    @Test
    void usernamePrefixCanItselfBeReservedOnlyWhenAllowed() throws Exception {
        ClaimMapping systemPrefix = new ClaimMapping("sub", "system:oidc:", null, "", null, List.of());

        assertReason(new ClaimMapper(systemPrefix, false), RefusalReason.RESERVED_IDENTITY, Map.of("sub", "alice"));
        assertEquals(
                "system:oidc:alice",
                new ClaimMapper(systemPrefix, true)
                        .map(claims(Map.of("sub", "alice")))
                        .user());
    }

    @Test
    void emailUsernameNeedsVerificationWhenTheIssuerSaysSo() throws Exception {
        ClaimMapper byEmail = new ClaimMapper(new ClaimMapping("email", "", null, "", null, List.of()), false);

        assertReason(
                byEmail, RefusalReason.UNVERIFIED_EMAIL, Map.of("email", "a@example.com", "email_verified", false));
        assertEquals(
                "a@example.com",
                byEmail.map(claims(Map.of("email", "a@example.com"))).user());
        assertEquals(
                "a@example.com",
                byEmail.map(claims(Map.of("email", "a@example.com", "email_verified", "true")))
                        .user());
    }

    private void assertReason(RefusalReason reason, Map<String, Object> claims) {
        assertReason(mapper, reason, claims);
    }

    private static void assertReason(ClaimMapper mapper, RefusalReason reason, Map<String, Object> claims) {
        ClaimRejection rejection = assertThrows(ClaimRejection.class, () -> mapper.map(claims(claims)));
        assertEquals(reason, rejection.toRefused().reason(), rejection.getMessage());
    }

    private static JWTClaimsSet claims(Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        claims.forEach(builder::claim);
        return builder.build();
    }
}
