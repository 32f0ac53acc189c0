package dev.clusterconnect.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One watch connection of a {@link WatchBatch}: sends the watch request, then reads its event
 * lines and takes from each the time the benchmark wrote it ({@link #WRITTEN_FIELD} in the
 * config map's data) to record how long the event took to arrive.
 */
final class WatchEventReader extends ChannelInboundHandlerAdapter {

    /** The data key whose value is the write time in epoch microseconds. */
    static final String WRITTEN_FIELD = "written-micros";

    private static final byte[] MARKER = ("\"" + WRITTEN_FIELD + "\":\"").getBytes(StandardCharsets.US_ASCII);
    /** An event line is a few hundred bytes; a longer one is kept only up to here (its marker comes early). */
    private static final int MAX_LINE = 4 * 1024;

    private final String host;
    private final String path;
    private final String token;
    private final WatchBatch clients;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean headSeen;

    WatchEventReader(String host, String path, String token, WatchBatch clients) {
        this.host = host;
        this.path = path;
        this.token = token;
        this.clients = clients;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers()
                .set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                .set(HttpHeaderNames.ACCEPT, "application/json");
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long readMicros = nowMicros();
        try {
            if (msg instanceof HttpResponse response) {
                onHead(ctx, response);
            }
            if (msg instanceof HttpContent content) {
                scan(content.content(), readMicros);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpResponse response) {
        headSeen = true;
        boolean ok = response.status().code() == 200;
        clients.headDone(ok, path + " answered " + response.status());
        if (!ok) {
            ctx.close();
        }
    }

    /** Splits the body into lines (an event may arrive in pieces, or several in one read). */
    private void scan(ByteBuf bytes, long readMicros) {
        for (int i = bytes.readerIndex(); i < bytes.writerIndex(); i++) {
            byte b = bytes.getByte(i);
            if (b == '\n') {
                onLine(readMicros);
                lineLength = 0;
            } else if (lineLength < MAX_LINE) {
                line[lineLength++] = b;
            }
        }
    }

    private void onLine(long readMicros) {
        int at = indexOf(MARKER);
        if (at < 0) {
            return;
        }
        long written = 0;
        for (int i = at + MARKER.length; i < lineLength && line[i] >= '0' && line[i] <= '9'; i++) {
            written = written * 10 + (line[i] - '0');
        }
        clients.eventRead(readMicros, written);
    }

    private int indexOf(byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= lineLength; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (line[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!headSeen) {
            clients.headDone(false, path + ": connection closed before the response head");
        }
        clients.connectionClosed(headSeen);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        clients.failed(cause);
        ctx.close();
    }

    /** Wall-clock time, comparable with the benchmark JVM's on the same machine. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
