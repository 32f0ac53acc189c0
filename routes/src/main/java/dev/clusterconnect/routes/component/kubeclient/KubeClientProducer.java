package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the exchange's {@link HttpCall} to the upstream and completes the exchange as soon as the
 * response head arrives, with an {@code HttpReply} whose body streams on. Never buffers a body.
 */
public final class KubeClientProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(KubeClientProducer.class);

    public KubeClientProducer(KubeClientEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public KubeClientEndpoint getEndpoint() {
        return (KubeClientEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        if (call == null) {
            exchange.setException(new IllegalArgumentException("kubeclient needs an HttpCall body"));
            callback.done(true);
            return true;
        }
        AtomicBoolean completed = new AtomicBoolean();
        ConnectionPool pool = getEndpoint().pool();
        UpstreamExchange handler = new UpstreamExchange(call,
                reply -> {
                    if (completed.compareAndSet(false, true)) {
                        exchange.getMessage().setBody(reply);
                        callback.done(false);
                    }
                },
                error -> {
                    if (completed.compareAndSet(false, true)) {
                        exchange.setException(error);
                        callback.done(false);
                    }
                },
                pool::release);
        // A call that arrived on a socket of ours goes out on a connection of that socket's loop.
        pool.acquire(call.connection().map(Channel::eventLoop).orElse(null)).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                LOG.warn("[{}] cannot reach {}: {}", call.correlationId(), getEndpoint().upstream().authority(), connected.cause().toString());
                call.body().cancel("upstream unreachable");
                if (completed.compareAndSet(false, true)) {
                    exchange.setException(new KubeStatusException(502, "cannot reach " + getEndpoint().describe() + ": " + connected.cause().getMessage()));
                    callback.done(false);
                }
                return;
            }
            send(connected.channel(), call, handler);
        });
        return false;
    }

    private void send(Channel channel, HttpCall call, UpstreamExchange handler) {
        LOG.debug("[{}] {} {} on {}", call.correlationId(), call.head().method(), call.head().path(), channel);
        Runnable write = () -> {
            channel.pipeline().addLast(UpstreamExchange.NAME, handler);
            RequestHead head = call.head();
            boolean upgrade = head.isUpgrade();
            String target = getEndpoint().upstream().basePath() + head.target();
            DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(head.method()), target);
            request.headers().set(head.headers());
            // Hop-by-hop headers were removed where the request entered; a route step may not
            // reintroduce connection management: only an upgrade gets a Connection header.
            request.headers().remove(HttpHeaderNames.CONNECTION);
            if (upgrade) {
                request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            } else {
                request.headers().remove(HttpHeaderNames.UPGRADE);
            }
            request.headers().set(HttpHeaderNames.HOST, getEndpoint().upstream().authority());
            channel.writeAndFlush(request);
            handler.startRequestBody(channel, upgrade);
        };
        if (channel.eventLoop().inEventLoop()) {
            write.run();
        } else {
            channel.eventLoop().execute(write);
        }
    }
}
