package dev.clusterconnect.sandbox.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.http.Responses;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.ResourceType;
import dev.clusterconnect.sandbox.store.WatchHub;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * {@code ?watch=1}: a chunked response of one JSON event per line that stays open until the client
 * leaves or {@code timeoutSeconds} pass. No thread waits on a watch: the store hands each event to
 * the channel's event loop, which writes it.
 */
final class WatchHandler {

    private final ObjectStore store;

    WatchHandler(ObjectStore store) {
        this.store = store;
    }

    void watch(ChannelHandlerContext ctx, ApiRequest request, ResourceType type, Predicate<ObjectNode> filter) {
        long from = startVersion(request);
        ctx.writeAndFlush(Responses.chunkedHead(request.http(), Responses.JSON));
        boolean table = Tables.wanted(request);
        boolean full = Tables.fullObjects(request);
        Stream stream = new Stream(
                ctx.channel(),
                type,
                request.flag("allowWatchBookmarks") && request.flag("sendInitialEvents"),
                HttpUtil.isKeepAlive(request.http()),
                object -> table ? Tables.of(type, List.of(object), "", full) : object);
        String namespace = type.namespaced() ? request.path().namespace() : null;
        try {
            stream.subscription = store.watch(new WatchHub.Request(type, namespace, filter, from), stream);
        } catch (ApiException e) {
            // the apiserver reports a failed watch start inside the stream, as an ERROR event
            stream.send("ERROR", e.toStatus());
            stream.end();
            return;
        }
        ctx.channel().closeFuture().addListener(f -> stream.end());
        long timeout = Long.parseLong(request.query("timeoutSeconds", "0"));
        if (timeout > 0) {
            stream.timer = ctx.executor().schedule(stream::end, timeout, TimeUnit.SECONDS);
        }
    }

    /** -1 to start with the current state; otherwise replay changes after this version. */
    private long startVersion(ApiRequest request) {
        String version = request.query("resourceVersion", "");
        if (request.flag("sendInitialEvents") || version.isEmpty() || version.equals("0")) {
            return -1;
        }
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resourceVersion: " + version);
        }
    }

    /** One open watch response. Every write goes through the event loop's queue, in publish order. */
    private static final class Stream implements WatchHub.Sink {
        private final Channel channel;
        private final ResourceType type;
        private final boolean initialEventsBookmark;
        private final boolean keepAlive;
        private final UnaryOperator<ObjectNode> render;
        private WatchHub.Subscription subscription;
        private ScheduledFuture<?> timer;
        private boolean ended;

        Stream(
                Channel channel,
                ResourceType type,
                boolean initialEventsBookmark,
                boolean keepAlive,
                UnaryOperator<ObjectNode> render) {
            this.render = render;
            this.channel = channel;
            this.type = type;
            this.initialEventsBookmark = initialEventsBookmark;
            this.keepAlive = keepAlive;
        }

        @Override
        public void send(String eventType, ObjectNode object) {
            ObjectNode event = Json.object().put("type", eventType);
            event.set(
                    "object",
                    eventType.equals("ADDED") || eventType.equals("MODIFIED") || eventType.equals("DELETED")
                            ? render.apply(object)
                            : object);
            byte[] line = (Json.string(event) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            channel.eventLoop().execute(() -> {
                if (!ended) {
                    channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
                }
            });
        }

        @Override
        public void initialEventsSent(long resourceVersion) {
            if (initialEventsBookmark) {
                ObjectNode bookmark = Json.object().put("kind", type.kind()).put("apiVersion", type.apiVersion());
                ObjectNode metadata =
                        bookmark.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
                metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
                send("BOOKMARK", bookmark);
            }
        }

        void end() {
            channel.eventLoop().execute(() -> {
                if (ended) {
                    return;
                }
                ended = true;
                if (subscription != null) {
                    subscription.close();
                }
                if (timer != null) {
                    timer.cancel(false);
                }
                if (channel.isActive()) {
                    var done = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    if (!keepAlive) {
                        done.addListener(ChannelFutureListener.CLOSE);
                    }
                }
            });
        }
    }
}
