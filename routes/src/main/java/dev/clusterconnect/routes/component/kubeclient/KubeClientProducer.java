package dev.clusterconnect.routes.component.kubeclient;

import dev.clusterconnect.routes.http.HttpCall;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Sends the exchange's {@link HttpCall} to the upstream and completes the exchange as soon as the
 * response head arrives, with an {@code HttpReply} whose body streams on. Never buffers a body.
 * How the call gets there, and when it is sent again, is {@link UpstreamCall}'s business.
 */
public final class KubeClientProducer extends DefaultAsyncProducer {

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
        new UpstreamCall(
                        call,
                        getEndpoint(),
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
                        })
                .start();
        return false;
    }
}
