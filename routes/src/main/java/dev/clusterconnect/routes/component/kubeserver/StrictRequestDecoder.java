package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, except that a request carrying both {@code Content-Length} and
 * {@code Transfer-Encoding} is marked invalid instead of silently preferring one: two hops that
 * disagree on where a body ends is how requests are smuggled, so the first hop refuses it (400).
 * The other rules a head must follow are in {@link HeadChecks}: this one must be here because
 * Netty drops the {@code Content-Length} before the head is passed on.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    StrictRequestDecoder(int maxInitialLine, int maxHeaderBytes, int maxChunk) {
        super(maxInitialLine, maxHeaderBytes, maxChunk);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(
                new KubeStatusException(400, "a request may not carry both Content-Length and Transfer-Encoding")));
    }
}
