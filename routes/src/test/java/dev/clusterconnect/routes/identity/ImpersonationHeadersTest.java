package dev.clusterconnect.routes.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.identity.ImpersonationHeaders.Header;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

        assertEquals(
                List.of(
                        new Header("Impersonate-User", "alice"),
                        new Header("Impersonate-Group", "dev"),
                        new Header("Impersonate-Group", "ops"),
                        new Header("Impersonate-Uid", "uid-1"),
                        new Header("Impersonate-Extra-tid", "tenant"),
                        new Header("Impersonate-Extra-scopes", "read"),
                        new Header("Impersonate-Extra-scopes", "write")),
                ImpersonationHeaders.of(identity));
    }

    @Test
    void userOnlyIdentityGetsOneHeader() {
        assertEquals(
                List.of(new Header("Impersonate-User", "alice")),
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
        KubeIdentity identity = new KubeIdentity(
                "alice", List.of(), null, Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=abc")));

        assertEquals(
                new Header("Impersonate-Extra-authentication.kubernetes.io%2Fcredential-id", "JTI=abc"),
                ImpersonationHeaders.of(identity).get(1));
    }

    @Test
    void nonAsciiValuesAreHeldAsTheirUtf8BytesOneCharacterEach() {
        KubeIdentity identity = new KubeIdentity("alíce", List.of("山田"), "ü-1", Map.of("tid", List.of("テナント")));

        List<Header> headers = ImpersonationHeaders.of(identity);

        assertArrayEquals(utf8("alíce"), latin1(headers.get(0).value()));
        assertArrayEquals(utf8("山田"), latin1(headers.get(1).value()));
        assertArrayEquals(utf8("ü-1"), latin1(headers.get(2).value()));
        assertArrayEquals(utf8("テナント"), latin1(headers.get(3).value()));
        // one byte a character: nothing above U+00FF for Netty to turn into '?'
        assertTrue(headers.stream().allMatch(h -> h.value().chars().allMatch(c -> c <= 0xff)));
    }

    @Test
    void asciiValuesAreUnchanged() {
        assertEquals(
                new Header("Impersonate-User", "oidc:alice@example.com"),
                ImpersonationHeaders.of(KubeIdentity.ofUser("oidc:alice@example.com"))
                        .get(0));
    }

    @Test
    void nettyWritesTheUtf8BytesOfEveryIdentityValue() {
        KubeIdentity identity = new KubeIdentity(
                "alíce", List.of("山田", "dev"), "uid-\ud83d\ude00", Map.of("département", List.of("r&d-été")));
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api");
        ImpersonationHeaders.of(identity).forEach(h -> request.headers().add(h.name(), h.value()));

        String written = new String(written(request), StandardCharsets.UTF_8);

        assertTrue(written.contains("\r\nImpersonate-User: alíce\r\n"), written);
        assertTrue(written.contains("\r\nImpersonate-Group: 山田\r\nImpersonate-Group: dev\r\n"), written);
        assertTrue(written.contains("\r\nImpersonate-Uid: uid-\ud83d\ude00\r\n"), written);
        assertTrue(written.contains("\r\nImpersonate-Extra-d%C3%A9partement: r&d-été\r\n"), written);
    }

    @Test
    void valuesNoHeaderCanCarryAreNeverEncoded() {
        for (String user : List.of(
                "alice\r\nImpersonate-Group: system:masters",
                "a\u0000",
                "a\u007f",
                "alice ",
                "al\ud800ice",
                "\udc00")) {
            assertThrows(
                    IllegalArgumentException.class, () -> ImpersonationHeaders.of(KubeIdentity.ofUser(user)), user);
        }
    }

    @Test
    void impersonationHeadersAreRecognisedInAnyCase() {
        for (String name : List.of(
                "Impersonate-User",
                "impersonate-group",
                "IMPERSONATE-UID",
                "Impersonate-Extra-scopes",
                "impersonate-extra-",
                "Impersonate-Something-New")) {
            assertTrue(ImpersonationHeaders.isImpersonationHeader(name), name);
        }
        for (String name : List.of("Authorization", "X-Impersonate-User", "Impersonate", "", "Impersonat-User")) {
            assertFalse(ImpersonationHeaders.isImpersonationHeader(name), name);
        }
        assertFalse(ImpersonationHeaders.isImpersonationHeader(null));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] written(DefaultFullHttpRequest request) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestEncoder());
        channel.writeOutbound(request);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.writeBytes(bytes);
            buf.release();
        }
        channel.finishAndReleaseAll();
        return out.toByteArray();
    }
}
