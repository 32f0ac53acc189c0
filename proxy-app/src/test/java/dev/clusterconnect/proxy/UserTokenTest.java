package dev.clusterconnect.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clusterconnect.proxy.token.TokenException;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The local token is swapped for the user's; when there is no user token, kubectl is told why. */
class UserTokenTest {

    @Test
    void theLocalTokenIsSwappedForTheUsers() {
        Exchange exchange = exchange("Bearer local-secret");

        new UserToken("local-secret", () -> "user-token").process(exchange);

        assertEquals("Bearer user-token", exchange.getMessage().getBody(HttpCall.class).head().headers().get("Authorization"));
    }

    @Test
    void anotherTokenIsRefused() {
        KubeStatusException refused = assertThrows(KubeStatusException.class,
                () -> new UserToken("local-secret", () -> "user-token").process(exchange("Bearer guess")));
        assertEquals(401, refused.code());
    }

    @Test
    void aSignInThatCannotBeRefreshedIsA401ThatSaysWhy() {
        Supplier<String> expired = () -> {
            throw new TokenException("the identity provider refused the refresh token");
        };

        KubeStatusException refused = assertThrows(KubeStatusException.class,
                () -> new UserToken("local-secret", expired).process(exchange("Bearer local-secret")));

        assertEquals(401, refused.code());
        assertEquals("clusterconnect has no valid token for you: the identity provider refused the refresh token; "
                + "restart clusterconnect proxy to sign in again", refused.getMessage());
    }

    @Test
    void anUnreadableTokenFileIsA401ThatNamesIt() {
        Supplier<String> unreadable = () -> {
            throw new UncheckedIOException("cannot read secret file /home/u/token", new IOException("denied"));
        };

        KubeStatusException refused = assertThrows(KubeStatusException.class,
                () -> new UserToken("local-secret", unreadable).process(exchange("Bearer local-secret")));

        assertEquals(401, refused.code());
        assertEquals("clusterconnect cannot read your token: cannot read secret file /home/u/token", refused.getMessage());
    }

    private static Exchange exchange(String authorization) {
        DefaultExchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(new HttpCall(new RequestHead("GET", "/api", new DefaultHttpHeaders().add("Authorization", authorization)),
                null, null, "id"));
        return exchange;
    }
}
