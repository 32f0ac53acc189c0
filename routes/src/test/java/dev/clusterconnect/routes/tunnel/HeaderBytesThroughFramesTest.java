package dev.clusterconnect.routes.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.http.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Header strings hold one byte per character on every hop; the tunnel must carry those bytes as
 * they are, so UTF-8 sent by a client (or written by the agent) is what arrives.
 */
class HeaderBytesThroughFramesTest {

    @Test
    void utf8BytesHeldOnePerCharacterCrossTheTunnelUnchanged() throws Exception {
        String yamada = new String("山田".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("X-Team", yamada);
        headers.add("X-Team", "dev");

        ByteBuf frame = FrameCodec.open(
                UnpooledByteBufAllocator.DEFAULT, 1, new RequestHead("GET", "/api", headers), 64 * 1024);
        try {
            ByteBuf utf8 = Unpooled.wrappedBuffer("山田".getBytes(StandardCharsets.UTF_8));
            assertTrue(ByteBufUtil.indexOf(utf8, frame) >= 0, "the frame holds the UTF-8 bytes of 山田");
            Frame decoded = FrameCodec.decode(frame);
            try {
                RequestHead head = FrameCodec.readRequestHead(decoded.payload());
                assertEquals(List.of(yamada, "dev"), head.headers().getAll("X-Team"));
            } finally {
                decoded.payload().release();
            }
        } finally {
            frame.release();
        }
    }
}
