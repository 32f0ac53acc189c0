package dev.clusterconnect.sandbox.pod;

import dev.clusterconnect.sandbox.http.ApiRequest;
import dev.clusterconnect.sandbox.http.Responses;
import dev.clusterconnect.sandbox.store.ObjectStore;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code pods/<name>/log}: the whole log at once, or with {@code follow=true} a chunked response
 * that carries each new line as it is logged until the client goes away.
 */
public final class LogHandler {

    private static final String TEXT = "text/plain";

    private final ObjectStore store;
    private final PodLogs logs;

    /** Serves the logs of pods in {@code store}. */
    public LogHandler(ObjectStore store, PodLogs logs) {
        this.store = store;
        this.logs = logs;
    }

    /** Answers a log request. */
    public void handle(ChannelHandlerContext ctx, ApiRequest request) {
        String namespace = request.path().namespace();
        String pod = request.path().name();
        store.get(ResourceCatalog.PODS, namespace, pod);
        boolean timestamps = request.flag("timestamps");
        int tail = Integer.parseInt(request.query("tailLines", "-1"));
        if (!request.flag("follow")) {
            StringBuilder text = new StringBuilder();
            tail(logs.lines(namespace, pod), tail).forEach(line -> text.append(format(line, timestamps)));
            Responses.text(ctx, request.http(), 200, text.toString());
            return;
        }
        Channel channel = ctx.channel();
        ctx.writeAndFlush(Responses.chunkedHead(request.http(), TEXT));
        AutoCloseable subscription = logs.follow(
                namespace,
                pod,
                past -> tail(past, tail).forEach(line -> write(channel, format(line, timestamps))),
                line -> write(channel, format(line, timestamps)));
        channel.closeFuture().addListener(f -> subscription.close());
    }

    private static void write(Channel channel, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // queued on the event loop, so lines leave in the order they were logged
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
            }
        });
    }

    private static List<PodLogs.Line> tail(List<PodLogs.Line> lines, int tail) {
        return tail < 0 || tail >= lines.size() ? lines : lines.subList(lines.size() - tail, lines.size());
    }

    private static String format(PodLogs.Line line, boolean timestamps) {
        return (timestamps ? line.time() + " " : "") + line.text() + "\n";
    }
}
