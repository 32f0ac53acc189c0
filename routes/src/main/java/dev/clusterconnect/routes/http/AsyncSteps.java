package dev.clusterconnect.routes.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/** Ends an asynchronous route step from a future, so a step can wait without holding its thread. */
public final class AsyncSteps {

    private AsyncSteps() {}

    /**
     * Applies the future's result to the exchange and lets the route go on: at once, on the calling
     * thread, when it is already done (no hop for the common case); else on the thread that
     * completes it. A failure becomes the exchange's exception.
     *
     * @return the {@code AsyncProcessor.process} answer: whether the step finished synchronously
     */
    public static <T> boolean finish(
            Exchange exchange, AsyncCallback callback, CompletableFuture<T> future, Consumer<T> onResult) {
        if (future.isDone()) {
            apply(exchange, future, onResult);
            callback.done(true);
            return true;
        }
        future.whenComplete((result, failure) -> {
            apply(exchange, future, onResult);
            callback.done(false);
        });
        return false;
    }

    private static <T> void apply(Exchange exchange, CompletableFuture<T> done, Consumer<T> onResult) {
        try {
            onResult.accept(done.join());
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            exchange.setException(cause instanceof Exception problem ? problem : new IllegalStateException(cause));
        } catch (RuntimeException e) {
            exchange.setException(e);
        }
    }
}
