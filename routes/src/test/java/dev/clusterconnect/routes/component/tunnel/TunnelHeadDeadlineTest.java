package dev.clusterconnect.routes.component.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.http.ResponseHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.ByteSource;
import dev.clusterconnect.routes.tunnel.SessionListener;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import dev.clusterconnect.routes.tunnel.TunnelStream;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's deadline for an agent's response head: a stream whose agent took the request and
 * says nothing ends with 504 and is reset at both ends; a head in time is never cut later. The
 * tunnel runs on embedded channels, whose clock the test moves: nothing waits.
 */
class TunnelHeadDeadlineTest {

    private final EmbeddedChannel relayChannel = new EmbeddedChannel();
    private final EmbeddedChannel agentChannel = new EmbeddedChannel();
    private final List<TunnelStream> atAgent = new ArrayList<>();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private TunnelSession relay;
    private TunnelSession agent;

    @BeforeEach
    void connect() {
        relay = TunnelSession.start(
                relayChannel,
                TunnelSession.Role.RELAY,
                TunnelSettings.defaults(),
                new SessionListener() {},
                "relay-test");
        agent = TunnelSession.start(
                agentChannel,
                TunnelSession.Role.AGENT,
                TunnelSettings.defaults(),
                new SessionListener() {
                    @Override
                    public void onOpen(TunnelStream stream, RequestHead head) {
                        atAgent.add(stream);
                    }
                },
                "agent-test");
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        relayChannel.finishAndReleaseAll();
        agentChannel.finishAndReleaseAll();
    }

    @Test
    void aStreamWhoseAgentNeverAnswersEndsWithA504TimeoutAndIsResetAtTheAgent() throws Exception {
        Sent sent = forward("tunnel:agents?responseHeadTimeout=2s");
        pump();
        assertThat(atAgent).hasSize(1);
        assertThat(sent.done()).isFalse();

        advanceRelayClock(Duration.ofSeconds(2));

        assertThat(sent.done()).isTrue();
        KubeStatusException timeout = sent.exchange.getException(KubeStatusException.class);
        assertThat(timeout.code()).isEqualTo(504);
        assertThat(timeout.reason()).isEqualTo("Timeout");
        assertThat(timeout.getMessage()).contains("cluster c1").contains("2 s");
        pump();
        assertThat(atAgent.get(0).isReset())
                .as("the agent is told to give up too")
                .isTrue();
        assertThat(relay.openStreams()).isZero();
        assertThat(agent.openStreams()).isZero();
    }

    @Test
    void aHeadInTimeIsNeverCutByTheDeadlineLater() throws Exception {
        Sent sent = forward("tunnel:agents?responseHeadTimeout=2s");
        pump();
        atAgent.get(0).respond(new ResponseHead(200, new DefaultHttpHeaders()));
        pump();
        assertThat(sent.done()).isTrue();
        assertThat(sent.exchange.getException()).isNull();
        assertThat(sent.exchange.getMessage().getBody(HttpReply.class).head().status())
                .isEqualTo(200);

        advanceRelayClock(Duration.ofMinutes(10));
        pump();

        assertThat(atAgent.get(0).isReset()).isFalse();
        assertThat(relay.openStreams())
                .as("the watch's body may flow for as long as it likes")
                .isEqualTo(1);
    }

    @Test
    void aCallAbandonedBeforeItsHeadEndsAt499AndResetsTheStreamWhoseCallerIsAbandonedInTurn() throws Exception {
        Sent sent = forward("tunnel:agents?responseHeadTimeout=60s");
        pump();
        AtomicBoolean agentSideAbandoned = new AtomicBoolean();
        atAgent.get(0).whenReset(() -> agentSideAbandoned.set(true));

        ((HttpCall) sent.exchange.getProperty("call")).abandonment().abandon();
        pump();

        assertThat(sent.done()).isTrue();
        assertThat(sent.exchange.getException(KubeStatusException.class).code()).isEqualTo(499);
        assertThat(atAgent.get(0).isReset())
                .as("the agent stops waiting for its apiserver")
                .isTrue();
        assertThat(agentSideAbandoned).isTrue();
        assertThat(atAgent.get(0).respond(new ResponseHead(200, new DefaultHttpHeaders())))
                .as("a head that comes later is not sent for a stream the relay forgot")
                .isFalse();
        pump();
        assertThat(relay.openStreams()).isZero();
        assertThat(agent.openStreams()).isZero();
    }

    @Test
    void aCallAbandonedAfterItsHeadLeavesTheStreamToItsBody() throws Exception {
        Sent sent = forward("tunnel:agents?responseHeadTimeout=60s");
        pump();
        atAgent.get(0).respond(new ResponseHead(200, new DefaultHttpHeaders()));
        pump();

        assertThat(sent.done()).isTrue();
        HttpCall call = (HttpCall) sent.exchange.getProperty("call");
        assertThat(call).isNotNull();
        call.abandonment().abandon();
        pump();

        assertThat(sent.exchange.getException()).isNull();
        assertThat(atAgent.get(0).isReset())
                .as("the body's own cancellation ends it, when the client's socket closes")
                .isFalse();
    }

    @Test
    void theDeadlineIsSixtySecondsUnlessConfiguredAndCannotBeSwitchedOff() {
        assertThat(camel.getEndpoint("tunnel:agents", TunnelEndpoint.class).getResponseHeadTimeout())
                .isEqualTo(Duration.ofSeconds(60));
        TunnelEndpoint off = camel.getEndpoint("tunnel:agents?responseHeadTimeout=0s", TunnelEndpoint.class);
        assertThatThrownBy(off::createProducer).hasMessageContaining("positive responseHeadTimeout");
    }

    private record Sent(Exchange exchange, AtomicBoolean doneFlag) {
        boolean done() {
            return doneFlag.get();
        }
    }

    private Sent forward(String uri) throws Exception {
        TunnelEndpoint endpoint = camel.getEndpoint(uri, TunnelEndpoint.class);
        endpoint.registry().add("c1", relay);
        AsyncProducer producer = (AsyncProducer) endpoint.createProducer();
        producer.start();
        String id = RequestIds.generate();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(RequestIds.HEADER, id);
        Exchange exchange = new DefaultExchange(camel);
        HttpCall call =
                new HttpCall(new RequestHead("GET", "/api/v1/pods?watch=true", headers), ByteSource.EMPTY, null, id);
        exchange.getMessage().setBody(call);
        exchange.setProperty("call", call);
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, "c1");
        AtomicBoolean done = new AtomicBoolean();
        producer.process(exchange, doneSync -> done.set(true));
        return new Sent(exchange, done);
    }

    private void advanceRelayClock(Duration step) {
        relayChannel.advanceTimeBy(step.toNanos(), TimeUnit.NANOSECONDS);
        relayChannel.runScheduledPendingTasks();
        relayChannel.runPendingTasks();
    }

    /** Moves frames both ways, as the WebSocket between them would, until both are quiet. */
    private void pump() {
        boolean moved = true;
        while (moved) {
            moved = move(relayChannel, agentChannel) | move(agentChannel, relayChannel);
        }
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        from.runPendingTasks();
        boolean moved = false;
        for (Object message = from.readOutbound(); message != null; message = from.readOutbound()) {
            moved = true;
            if (message instanceof BinaryWebSocketFrame) {
                to.writeInbound(message);
                to.runPendingTasks();
            } else {
                ReferenceCountUtil.release(message);
            }
        }
        return moved;
    }
}
