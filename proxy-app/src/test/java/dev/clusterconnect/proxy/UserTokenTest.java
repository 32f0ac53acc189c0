package dev.clusterconnect.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.proxy.token.TokenException;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The local token is swapped for the user's; when there is no user token, kubectl is told why. */
class UserTokenTest {

    @Test
    void theLocalTokenIsSwappedForTheUsers() throws Exception {
        Exchange exchange = exchange("Bearer local-secret");

        run(
                new UserToken(
                        "local-secret",
                        () -> Optional.of("user-token"),
                        () -> {
                            throw new AssertionError("a token at hand is used at once");
                        },
                        Runnable::run),
                exchange);

        assertEquals(
                "Bearer user-token",
                exchange.getMessage().getBody(HttpCall.class).head().headers().get("Authorization"));
    }

    @Test
    void aTokenThatMustBeFetchedIsFetchedOffTheCallersThread() throws Exception {
        ExecutorService blocking = Executors.newSingleThreadExecutor(task -> new Thread(task, "token-fetch"));
        try {
            Exchange exchange = exchange("Bearer local-secret");
            AtomicReference<String> fetchedOn = new AtomicReference<>();
            // the fetch waits until the step has returned, as a slow identity provider would
            CountDownLatch stepReturned = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            UserToken step = new UserToken(
                    "local-secret",
                    Optional::empty,
                    () -> {
                        fetchedOn.set(Thread.currentThread().getName());
                        awaitQuietly(stepReturned);
                        return "fresh-token";
                    },
                    blocking);

            boolean sync = step.process(exchange, doneSync -> done.countDown());
            stepReturned.countDown();

            assertFalse(sync, "the caller's thread is free while the token is fetched");
            assertTrue(done.await(5, TimeUnit.SECONDS), "the step ends");
            assertEquals("token-fetch", fetchedOn.get());
            assertEquals(
                    "Bearer fresh-token",
                    exchange.getMessage()
                            .getBody(HttpCall.class)
                            .head()
                            .headers()
                            .get("Authorization"));
        } finally {
            blocking.shutdownNow();
        }
    }

    @Test
    void anotherTokenIsRefused() throws Exception {
        Exchange exchange = exchange("Bearer guess");
        run(userToken(() -> "user-token"), exchange);
        assertEquals(401, exchange.getException(KubeStatusException.class).code());
    }

    @Test
    void aSignInThatCannotBeRefreshedIsA401ThatSaysWhy() throws Exception {
        Supplier<String> expired = () -> {
            throw new TokenException("the identity provider refused the refresh token");
        };

        Exchange exchange = exchange("Bearer local-secret");
        run(userToken(expired), exchange);
        KubeStatusException refused = exchange.getException(KubeStatusException.class);

        assertEquals(401, refused.code());
        assertEquals(
                "clusterconnect has no valid token for you: the identity provider refused the refresh token; "
                        + "restart clusterconnect proxy to sign in again",
                refused.getMessage());
    }

    @Test
    void anUnreadableTokenFileIsA401ThatNamesIt() throws Exception {
        Supplier<String> unreadable = () -> {
            throw new UncheckedIOException("cannot read secret file /home/u/token", new IOException("denied"));
        };

        Exchange exchange = exchange("Bearer local-secret");
        run(userToken(unreadable), exchange);
        KubeStatusException refused = exchange.getException(KubeStatusException.class);

        assertEquals(401, refused.code());
        assertEquals(
                "clusterconnect cannot read your token: cannot read secret file /home/u/token", refused.getMessage());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static UserToken userToken(Supplier<String> fetch) {
        return new UserToken("local-secret", Optional::empty, fetch, Runnable::run);
    }

    /** Runs the step to its end; whether it ended synchronously. */
    private static boolean run(UserToken step, Exchange exchange) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        boolean sync = step.process(exchange, doneSync -> done.countDown());
        assertTrue(done.await(5, TimeUnit.SECONDS), "the step ends");
        return sync;
    }

    private static Exchange exchange(String authorization) {
        DefaultExchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage()
                .setBody(new HttpCall(
                        new RequestHead("GET", "/api", new DefaultHttpHeaders().add("Authorization", authorization)),
                        null,
                        null,
                        "id"));
        return exchange;
    }
}
