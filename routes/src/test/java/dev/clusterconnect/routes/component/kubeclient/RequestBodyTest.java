package dev.clusterconnect.routes.component.kubeclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.stream.ByteSink;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's body follows the request to its new connection, and says when it cannot. */
class RequestBodyTest {

    private final HeldSource source = new HeldSource();
    private final RequestBody body = new RequestBody(source);

    @Test
    void theSourceStartsOnceHoweverManyConnectionsTheRequestIsSentOn() {
        body.sendTo(new Recording());
        body.sendTo(new Recording());

        assertThat(source.starts).isEqualTo(1);
    }

    @Test
    void anEndThatCameBeforeTheRetryIsHandedToTheNewConnection() {
        Recording first = new Recording();
        body.sendTo(first);
        source.sink.end();

        Recording second = new Recording();
        body.sendTo(second);

        assertThat(first.events).containsExactly("end");
        assertThat(second.events).containsExactly("end");
        assertThat(body.untouched()).isTrue();
    }

    @Test
    void anEndThatComesAfterTheRetryGoesToTheNewConnectionOnly() {
        Recording first = new Recording();
        body.sendTo(first);
        Recording second = new Recording();
        body.sendTo(second);

        source.sink.end();

        assertThat(first.events).isEmpty();
        assertThat(second.events).containsExactly("end");
    }

    @Test
    void aBodyWithBytesGoneToAConnectionIsNoLongerUntouched() {
        body.sendTo(new Recording());

        source.sink.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), null);

        assertThat(body.untouched()).isFalse();
    }

    @Test
    void aBodyTheClientAbortedIsNoLongerUntouched() {
        body.sendTo(new Recording());

        source.sink.abort("client connection closed");

        assertThat(body.untouched()).isFalse();
    }

    /** A source that holds on to its sink, so the test decides when bytes and the end arrive. */
    private static final class HeldSource implements ByteSource {
        private ByteSink sink;
        private int starts;

        @Override
        public void start(ByteSink sink) {
            this.sink = sink;
            starts++;
        }

        @Override
        public void cancel(String reason) {}
    }

    private static final class Recording implements ByteSink {
        private final List<String> events = new ArrayList<>();

        @Override
        public void write(ByteBuf data, Runnable flushed) {
            events.add("write " + data.readableBytes());
            data.release();
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
            events.add("end");
        }

        @Override
        public void abort(String reason) {
            events.add("abort");
        }
    }
}
