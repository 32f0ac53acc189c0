package dev.clusterconnect.routes.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.component.kubeclient.CapturedLog;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.HttpReply;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.RefusalReason;
import dev.clusterconnect.routes.stream.ByteSource;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StatusMappingTest {

    private static final String ID = "req-1";

    @Test
    void aStatusAnswerIsKeptAsItIs() {
        KubeStatusException busy = KubeStatusException.tooManyRequests("at most 2 streams", 3);
        assertThat(StatusMapping.of(busy, ID)).isSameAs(busy);
    }

    @Test
    void aStatusAnswerIsFoundInsideEveryWrapper() {
        KubeStatusException forbidden = new KubeStatusException(403, "user bob may not reach cluster c1");
        DefaultExchange exchange = new DefaultExchange(new DefaultCamelContext());
        assertThat(StatusMapping.of(new RuntimeCamelException(forbidden), ID)).isSameAs(forbidden);
        assertThat(StatusMapping.of(new CamelExecutionException("failed", exchange, forbidden), ID))
                .isSameAs(forbidden);
        assertThat(StatusMapping.of(new ExecutionException(forbidden), ID)).isSameAs(forbidden);
        assertThat(StatusMapping.of(new CompletionException(forbidden), ID)).isSameAs(forbidden);
        assertThat(StatusMapping.of(new CompletionException(new RuntimeCamelException(forbidden)), ID))
                .isSameAs(forbidden);
        // A library that caught ours and threw its own: the answer a step chose still stands.
        assertThat(StatusMapping.of(new IllegalStateException("wrapped", forbidden), ID))
                .isSameAs(forbidden);
    }

    @Test
    void aFullPoolIsA503WithRetryAfter() {
        KubeStatusException status = StatusMapping.of(new RejectedExecutionException("queue full"), ID);
        assertThat(status.code()).isEqualTo(503);
        assertThat(status.reason()).isEqualTo("ServiceUnavailable");
        assertThat(status.retryAfterSeconds()).isEqualTo(StatusMapping.RETRY_AFTER_SECONDS);
        assertThat(status.getMessage()).doesNotContain("queue full");
        HttpReply reply = StatusReply.of(status);
        assertThat(reply.head().headers().get("Retry-After"))
                .isEqualTo(String.valueOf(StatusMapping.RETRY_AFTER_SECONDS));
    }

    @Test
    void aFullPoolIsFoundInsideEveryWrapper() {
        RejectedExecutionException rejected = new RejectedExecutionException("queue full");
        assertThat(StatusMapping.of(new RuntimeCamelException(rejected), ID).code())
                .isEqualTo(503);
        assertThat(StatusMapping.of(new CompletionException(rejected), ID).code())
                .isEqualTo(503);
        assertThat(StatusMapping.of(new ExecutionException(new RuntimeCamelException(rejected)), ID)
                        .code())
                .isEqualTo(503);
    }

    @Test
    void aRouteWhosePoolIsFullAnswers503() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:work")
                            .routeId("work")
                            .threads(1, 1, "status-mapping-test")
                            .maxQueueSize(0)
                            .callerRunsWhenRejected(false)
                            .rejectedPolicy(ThreadPoolRejectedPolicy.Abort)
                            .process(exchange -> {
                                entered.countDown();
                                release.await(10, TimeUnit.SECONDS);
                            });
                }
            });
            context.start();
            var template = context.createProducerTemplate();
            var holding = template.asyncSend("direct:work", exchange -> {});
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Exchange refused = template.send("direct:work", exchange -> {});
            release.countDown();
            holding.get(10, TimeUnit.SECONDS);

            KubeStatusException status = StatusMapping.of(refused.getException(), ID);
            assertThat(status.code()).isEqualTo(503);
            assertThat(status.retryAfterSeconds()).isPositive();
        }
    }

    @Test
    void aTimeoutIsA504() {
        assertThat(StatusMapping.of(new TimeoutException("after 10 s"), ID).code())
                .isEqualTo(504);
        assertThat(StatusMapping.of(new ExecutionException(new TimeoutException()), ID)
                        .code())
                .isEqualTo(504);
        ExchangeTimedOutException camel =
                new ExchangeTimedOutException(new DefaultExchange(new DefaultCamelContext()), 1000);
        KubeStatusException status =
                StatusMapping.of(new CamelExecutionException("failed", camel.getExchange(), camel), ID);
        assertThat(status.code()).isEqualTo(504);
        assertThat(status.reason()).isEqualTo("Timeout");
    }

    @Test
    void anUnknownFailureIsA500ThatNamesTheRequestAndNothingElse() {
        Exception secret = new IllegalStateException("jdbc:postgresql://db.internal/relay password=hunter2");
        KubeStatusException status = StatusMapping.of(new CompletionException(secret), ID);
        assertThat(status.code()).isEqualTo(500);
        assertThat(status.reason()).isEqualTo("InternalError");
        assertThat(status.getMessage()).isEqualTo("internal error (request id req-1)");
        assertThat(new String(status.body(), StandardCharsets.UTF_8)).doesNotContain("hunter2", "db.internal");
        assertThat(StatusReply.of(status).head().headers().get("Warning")).doesNotContain("hunter2");
    }

    @Test
    void aRouteThatEndedWithoutAnAnswerIsA500() {
        assertThat(StatusMapping.of(null, ID).code()).isEqualTo(500);
    }

    @Test
    @Timeout(5)
    void aCauseChainThatLoopsEndsAsA500() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);
        assertThat(StatusMapping.of(first, ID).code()).isEqualTo(500);
    }

    @Test
    void theConsumerLogsAnUnknownFailureOnceAtErrorWithItsStack() {
        Exception bug = new NullPointerException("bug");
        try (CapturedLog log = new CapturedLog(StatusMapping.class)) {
            assertThat(StatusMapping.of(new RuntimeCamelException(bug), ID).code())
                    .isEqualTo(500);
            assertThat(log.lines()).isEmpty();

            assertThat(StatusMapping.answer(new RuntimeCamelException(bug), call())
                            .code())
                    .isEqualTo(500);
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).startsWith("ERROR").contains(ID, "GET", "/api/v1/pods");
            assertThat(log.thrown()).hasSize(1);
            assertThat(log.thrown().get(0).getCause()).isSameAs(bug);
        }
    }

    @Test
    void theConsumerLogsNothingForAKnownFailure() {
        try (CapturedLog log = new CapturedLog(StatusMapping.class)) {
            assertThat(StatusMapping.answer(new KubeStatusException(401, "a bearer token is required"), call())
                            .code())
                    .isEqualTo(401);
            assertThat(StatusMapping.answer(new RejectedExecutionException(), call())
                            .code())
                    .isEqualTo(503);
            assertThat(StatusMapping.answer(new TimeoutException(), call()).code())
                    .isEqualTo(504);
            assertThat(log.lines()).isEmpty();
        }
    }

    @Test
    void theConsumerLogsARouteThatEndedWithoutAnAnswer() {
        try (CapturedLog log = new CapturedLog(StatusMapping.class)) {
            assertThat(StatusMapping.answer(null, call()).code()).isEqualTo(500);
            assertThat(log.lines())
                    .singleElement()
                    .asString()
                    .startsWith("ERROR")
                    .contains(ID, "without a reply");
        }
    }

    @Test
    void anIdentityRefusalAnswersWithItsReasonsStatusAndMessage() {
        KubeStatusException expired =
                StatusMapping.refused(Authentication.Refused.of(RefusalReason.EXPIRED, "the token expired"));
        assertThat(expired.code()).isEqualTo(401);
        assertThat(expired.getMessage()).isEqualTo("the token expired");
        assertThat(StatusMapping.refused(
                                Authentication.Refused.of(RefusalReason.RESERVED_IDENTITY, "system: is reserved"))
                        .code())
                .isEqualTo(403);
        assertThat(StatusMapping.refused(Authentication.Refused.of(RefusalReason.ISSUER_UNAVAILABLE, "no keys"))
                        .code())
                .isEqualTo(503);
    }

    private static HttpCall call() {
        return new HttpCall(
                new RequestHead("GET", "/api/v1/pods", new DefaultHttpHeaders()), ByteSource.EMPTY, null, ID);
    }
}
