package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.http.HopByHop;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.status.StatusReply;
import dev.clusterconnect.routes.stream.ByteSource;
import dev.clusterconnect.routes.stream.ChannelSink;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.Consumer;

/** Writes the reply of one exchange to the client connection it came from. */
final class Responder {

    private final Channel channel;
    private final String method;
    private final boolean keepAlive;
    private final Consumer<Boolean> onDone;
    private volatile ByteSource replyBody;
    private boolean responded;

    Responder(Channel channel, String method, boolean keepAlive, Consumer<Boolean> onDone) {
        this.channel = channel;
        this.method = method;
        this.keepAlive = keepAlive;
        this.onDone = onDone;
    }

    /** Writes the reply head and streams its body; for a 101 the connection turns into a raw pipe. */
    void respond(HttpReply reply) {
        if (reply == HttpReply.TAKEN_OVER) {
            return;
        }
        channel.eventLoop().execute(() -> {
            if (responded) {
                return;
            }
            responded = true;
            replyBody = reply.body();
            if (!channel.isActive()) {
                reply.body().cancel("client connection closed");
                return;
            }
            if (reply.head().isSwitchingProtocols()) {
                switchProtocols(reply);
            } else {
                writeResponse(reply);
            }
        });
    }

    /** Writes a Kubernetes Status error. */
    void fail(KubeStatusException error, boolean keepConnection) {
        respond(StatusReply.of(error));
    }

    /** The client went away: stop whatever feeds the response (an upstream watch, a tunnel stream). */
    void clientGone() {
        ByteSource body = replyBody;
        if (body != null) {
            body.cancel("client connection closed");
        }
    }

    private void writeResponse(HttpReply reply) {
        ResponseHead head = reply.head();
        DefaultHttpResponse response =
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(head.status()));
        response.headers().set(head.headers());
        HopByHop.stripResponse(response.headers(), false);
        boolean bodiless = method.equals("HEAD") || head.status() == 204 || head.status() == 304;
        if (!bodiless && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        channel.write(response);
        reply.body().start(new ChannelSink(channel, true, () -> onDone.accept(keepAlive)));
        // Flushed in this loop turn whatever the body does: a watch with no event yet must still
        // reach the client (and tell each hop before it that the response exists, so a client
        // going away cancels it). Queued after the body's start, so a body already here (a small
        // object, whose source runs on this loop) leaves with the head in one write.
        channel.eventLoop().execute(channel::flush);
    }

    private void switchProtocols(HttpReply reply) {
        DefaultHttpResponse response =
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set(reply.head().headers());
        HopByHop.stripResponse(response.headers(), true);
        channel.writeAndFlush(response);
        // From here on the connection carries the upgraded protocol's bytes: no HTTP parsing, and
        // the request body source (already piped upstream) goes on with the client's raw bytes.
        channel.pipeline().remove(KubeServer.DECODER);
        channel.pipeline().remove(KubeServer.ENCODER);
        reply.body().start(new ChannelSink(channel, false, channel::close));
    }
}
