package dev.clusterconnect.routes.component.kubeserver;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, except that a request carrying both {@code Content-Length} and
 * {@code Transfer-Encoding} is marked invalid instead of silently preferring one: two hops that
 * disagree on where a body ends is how requests are smuggled, so the first hop refuses it (400).
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    StrictRequestDecoder(int maxInitialLine, int maxHeaderBytes, int maxChunk) {
        super(maxInitialLine, maxHeaderBytes, maxChunk);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(
                new IllegalArgumentException("a request may not carry both Content-Length and Transfer-Encoding")));
    }
}
