package dev.clusterconnect.sandbox.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Header bytes as the apiserver reads them: UTF-8, whatever Netty made of them. */
class Utf8HeaderValuesTest {

    @Test
    void utf8BytesArriveAsTheNamesTheyEncode() {
        HttpRequest request = received(utf8("Impersonate-User: alíce\r\nImpersonate-Group: 山田\r\n"
                + "Impersonate-Extra-d%C3%A9partement: r&d-été\r\n"));

        assertEquals("alíce", request.headers().get("Impersonate-User"));
        assertEquals("山田", request.headers().get("Impersonate-Group"));
        assertEquals("r&d-été", request.headers().get("Impersonate-Extra-d%C3%A9partement"));
    }

    @Test
    void latin1BytesAreInvalidUtf8AndArriveMangled() {
        // what the agent used to send for alíce: the single byte ED, a lead byte without followers
        HttpRequest request = received(latin1("Impersonate-User: alíce\r\n"));

        assertEquals("al\ufffdce", request.headers().get("Impersonate-User"));
    }

    @Test
    void orderAndRepeatedNamesStayAsTheyArrived() {
        HttpRequest request = received(utf8(
                "Impersonate-Group: dev\r\nAccept: */*\r\nImpersonate-Group: 山田\r\n" + "impersonate-group: ops\r\n"));

        assertEquals(
                List.of(
                        Map.entry("Host", "sandbox"),
                        Map.entry("Impersonate-Group", "dev"),
                        Map.entry("Accept", "*/*"),
                        Map.entry("Impersonate-Group", "山田"),
                        Map.entry("impersonate-group", "ops")),
                request.headers().entries());
    }

    @Test
    void asciiHeadersAreLeftAsTheyAre() {
        HttpRequest request = received(utf8("Impersonate-User: alice\r\nAuthorization: Bearer t\r\n"));

        assertEquals(
                List.of(
                        Map.entry("Host", "sandbox"),
                        Map.entry("Impersonate-User", "alice"),
                        Map.entry("Authorization", "Bearer t")),
                request.headers().entries());
    }

    private static HttpRequest received(byte[] headerLines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("GET /api HTTP/1.1\r\nHost: sandbox\r\n".getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(headerLines);
        bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(), new Utf8HeaderValues());
        channel.writeInbound(Unpooled.wrappedBuffer(bytes.toByteArray()));
        HttpRequest request = channel.readInbound();
        for (Object rest = channel.readInbound(); rest != null; rest = channel.readInbound()) {
            ReferenceCountUtil.release(rest);
        }
        channel.finishAndReleaseAll();
        return request;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
