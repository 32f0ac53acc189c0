package dev.clusterconnect.sandbox.rest;

import dev.clusterconnect.sandbox.FakeCluster;
import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.http.Responses;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import dev.clusterconnect.sandbox.store.ResourceType;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Lists the generated config maps of a bulk namespace. The body is produced item by item by a
 * {@link BulkConfigMapInput} that Netty's {@code ChunkedWriteHandler} pulls only while the channel
 * is writable and resumes when it becomes writable again, so a list of hundreds of megabytes goes
 * out at the client's pace through a small heap.
 */
final class BulkListWriter {

    private final FakeCluster cluster;

    BulkListWriter(FakeCluster cluster) {
        this.cluster = cluster;
    }

    boolean serves(ResourceType type, String namespace) {
        return type == ResourceCatalog.CONFIGMAPS && namespace != null && cluster.bulkBytes(namespace) > 0;
    }

    void write(ChannelHandlerContext ctx, ApiRequest request, String namespace) {
        long count = BulkConfigMapInput.itemCount(cluster.bulkBytes(namespace));
        long start = start(request.query("continue", ""));
        long limit = Lists.limit(request.query("limit", ""));
        long end = limit > 0 ? Math.min(count, start + limit) : count;
        String next = end < count ? encode(end) : "";
        BulkConfigMapInput input = new BulkConfigMapInput(
                namespace, start, end, count - end, next, cluster.store().resourceVersion());
        ctx.write(Responses.chunkedHead(request.http(), Responses.JSON));
        var done = ctx.writeAndFlush(new HttpChunkedInput(input));
        if (!HttpUtil.isKeepAlive(request.http())) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static long start(String token) {
        if (token.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return Long.parseLong(decoded.substring("bulk:".length()));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ApiException(410, "Expired", "the provided continue parameter is not valid", null, null);
        }
    }

    private static String encode(long index) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("bulk:" + index).getBytes(StandardCharsets.UTF_8));
    }
}
