package dev.clusterconnect.sandbox.http;

import dev.clusterconnect.sandbox.RecordedRequest;
import dev.clusterconnect.sandbox.RequestRecorder;
import dev.clusterconnect.sandbox.auth.Authenticator;
import dev.clusterconnect.sandbox.auth.Authorizer;
import dev.clusterconnect.sandbox.auth.Forbidden;
import dev.clusterconnect.sandbox.auth.Identity;
import dev.clusterconnect.sandbox.auth.RequestAttributes;
import dev.clusterconnect.sandbox.store.ApiException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of every request, in the apiserver's order: record it, authenticate the bearer
 * token, apply impersonation, authorize, then route. Every refusal is a {@code Status}.
 */
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final RequestRecorder recorder;
    private final Router router;

    /** A handler for one connection. */
    public ApiHandler(Authenticator authenticator, Authorizer authorizer, RequestRecorder recorder, Router router) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.recorder = recorder;
        this.router = router;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
        byte[] body = ApiRequest.bodyOf(http);
        Identity identity = null;
        boolean recorded = false;
        try {
            Identity authenticated = authenticator.authenticate(http.headers());
            identity = authenticated;
            identity = authenticator.impersonate(authenticated, http.headers());
            record(ctx, http, identity, body);
            recorded = true;
            ApiPath path = ApiPath.parse(new io.netty.handler.codec.http.QueryStringDecoder(http.uri()).path())
                    .orElse(null);
            RequestAttributes attributes = Verbs.attributes(http.method(), http.uri(), path);
            // every authenticated user may review itself, as the apiserver's system:basic-user role allows
            boolean selfReview =
                    path != null && path.resource() != null && path.resource().startsWith("selfsubject");
            if (!selfReview && !authorizer.allows(identity, attributes)) {
                throw Forbidden.of(identity, attributes);
            }
            router.route(ctx, new ApiRequest(http, path, identity, attributes, body));
        } catch (ApiException e) {
            if (!recorded) {
                record(ctx, http, identity, body);
            }
            Responses.status(ctx, http, e);
        } catch (RuntimeException e) {
            LOG.warn("request {} {} failed", http.method(), http.uri(), e);
            Responses.status(
                    ctx,
                    http,
                    new ApiException(500, "InternalError", "Internal error occurred: " + e.getMessage(), null, null));
        }
    }

    private void record(ChannelHandlerContext ctx, FullHttpRequest http, Identity identity, byte[] body) {
        List<Map.Entry<String, String>> headers =
                ctx.channel().attr(HeaderCapture.RECEIVED).getAndSet(null);
        recorder.record(new RecordedRequest(
                http.method().name(),
                http.uri(),
                headers == null ? List.of() : headers,
                identity,
                body,
                Instant.now()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
