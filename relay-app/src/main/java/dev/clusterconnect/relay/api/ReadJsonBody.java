package dev.clusterconnect.relay.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.ByteSink;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Reads the (small) JSON body of an API request into the {@link #PROPERTY} exchange property, or
 * {@link NullNode} when there is none. Asynchronous: the body arrives on the connection's event
 * loop, which must not wait for it. Every API request passes here, so its body is always read to
 * the end and the connection can serve the next request.
 */
public final class ReadJsonBody extends AsyncProcessorSupport {

    /** Exchange property: the request body as a {@link JsonNode}. */
    public static final String PROPERTY = "ClusterConnectApiBody";
    /** Requests of this API are a few hundred bytes; anything near this is not one of them. */
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        call.body().start(new ByteSink() {
            private boolean done;

            @Override
            public void write(ByteBuf data, Runnable flushed) {
                try {
                    if (!done && buffer.size() + data.readableBytes() > MAX_BYTES) {
                        finish(new KubeStatusException(413, "the request body is larger than " + MAX_BYTES + " bytes"));
                        call.body().cancel("request body too large");
                    } else if (!done) {
                        data.readBytes(buffer, data.readableBytes());
                    }
                } catch (IOException e) {
                    finish(e);
                } finally {
                    data.release();
                    if (flushed != null) {
                        flushed.run();
                    }
                }
            }

            @Override
            public boolean isWritable() {
                return true;
            }

            @Override
            public void whenWritable(Runnable resume) {
                resume.run();
            }

            @Override
            public void end() {
                finish(null);
            }

            @Override
            public void abort(String reason) {
                finish(new KubeStatusException(400, "the request body was cut short"));
            }

            private void finish(Exception failure) {
                if (done) {
                    return;
                }
                done = true;
                if (failure == null) {
                    failure = parse(exchange, buffer.toByteArray());
                }
                if (failure != null) {
                    exchange.setException(failure);
                }
                callback.done(false);
            }
        });
        return false;
    }

    private static Exception parse(Exchange exchange, byte[] bytes) {
        if (bytes.length == 0) {
            exchange.setProperty(PROPERTY, NullNode.getInstance());
            return null;
        }
        try {
            exchange.setProperty(PROPERTY, JSON.readTree(bytes));
            return null;
        } catch (IOException e) {
            return new KubeStatusException(400, "the request body is not JSON");
        }
    }
}
