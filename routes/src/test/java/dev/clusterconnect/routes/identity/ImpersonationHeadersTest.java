package dev.clusterconnect.routes.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.identity.ImpersonationHeaders.Header;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImpersonationHeadersTest {

    @Test
    void headersComeInUserGroupsUidExtraOrder() {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put("tid", List.of("tenant"));
        extra.put("scopes", List.of("read", "write"));
        KubeIdentity identity = new KubeIdentity("alice", List.of("dev", "ops"), "uid-1", extra);

        assertEquals(List.of(
                new Header("Impersonate-User", "alice"),
                new Header("Impersonate-Group", "dev"),
                new Header("Impersonate-Group", "ops"),
                new Header("Impersonate-Uid", "uid-1"),
                new Header("Impersonate-Extra-tid", "tenant"),
                new Header("Impersonate-Extra-scopes", "read"),
                new Header("Impersonate-Extra-scopes", "write")), ImpersonationHeaders.of(identity));
    }

    @Test
    void userOnlyIdentityGetsOneHeader() {
        assertEquals(List.of(new Header("Impersonate-User", "alice")),
                ImpersonationHeaders.of(KubeIdentity.ofUser("alice")));
    }

    @Test
    void extraKeysAreEscapedLikeClientGo() {
        // Token characters stay, everything else (and % itself) is %XX of the UTF-8 bytes, upper-case hex.
        assertEquals("example.com%2Fteam", ImpersonationHeaders.escapeExtraKey("example.com/team"));
        assertEquals("100%25", ImpersonationHeaders.escapeExtraKey("100%"));
        assertEquals("a%20b%3Ac", ImpersonationHeaders.escapeExtraKey("a b:c"));
        assertEquals("gr%C3%BC%C3%9Fe", ImpersonationHeaders.escapeExtraKey("grüße"));
        assertEquals("!#$&'*+-.^_`|~09azAZ", ImpersonationHeaders.escapeExtraKey("!#$&'*+-.^_`|~09azAZ"));
    }

    @Test
    void escapedKeyIsUsedInTheHeaderName() {
        KubeIdentity identity = new KubeIdentity("alice", List.of(), null,
                Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=abc")));

        assertEquals(new Header("Impersonate-Extra-authentication.kubernetes.io%2Fcredential-id", "JTI=abc"),
                ImpersonationHeaders.of(identity).get(1));
    }

    @Test
    void impersonationHeadersAreRecognisedInAnyCase() {
        for (String name : List.of("Impersonate-User", "impersonate-group", "IMPERSONATE-UID",
                "Impersonate-Extra-scopes", "impersonate-extra-", "Impersonate-Something-New")) {
            assertTrue(ImpersonationHeaders.isImpersonationHeader(name), name);
        }
        for (String name : List.of("Authorization", "X-Impersonate-User", "Impersonate", "", "Impersonat-User")) {
            assertFalse(ImpersonationHeaders.isImpersonationHeader(name), name);
        }
        assertFalse(ImpersonationHeaders.isImpersonationHeader(null));
    }
}
