package dev.clusterconnect.routes.identity;

import static dev.clusterconnect.routes.identity.Tokens.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An issuer slow to hand out its keys holds only the requests that carry its tokens, and no
 * calling thread: {@code authenticateAsync} is what the relay's and the agent's event loops call.
 */
class SlowIssuerTest {

    private static final String AUDIENCE = "api://clusterconnect";

    @TempDir
    static Path directory;

    private static OidcTestServer quick;

    @BeforeAll
    static void startIssuer() throws Exception {
        quick = new OidcTestServer(directory);
    }

    @AfterAll
    static void stopIssuer() {
        quick.close();
    }

    @Test
    void aRequestWaitsForASlowIssuersKeysWithoutHoldingItsThreadWhileOthersAreAnswered() throws Exception {
        try (SlowIssuer slow = new SlowIssuer(directory)) {
            TokenAuthenticator authenticator = authenticator(slow);
            assertThat(authenticator.authenticate(
                            quick.issue("quick", AUDIENCE, Map.of("preferred_username", "alice"))))
                    .isInstanceOf(Authentication.Authenticated.class);

            CompletableFuture<Authentication> waiting = authenticator.authenticateAsync(slowToken(slow));
            assertThat(waiting).as("returned before the slow JWKS answered").isNotDone();

            CompletableFuture<Authentication> other = authenticator.authenticateAsync(
                    quick.issue("quick", AUDIENCE, Map.of("preferred_username", "bob")));
            assertThat(other).isDone();
            assertThat(other.get()).isInstanceOf(Authentication.Authenticated.class);

            CompletableFuture<String> resumedOn =
                    waiting.thenApply(result -> Thread.currentThread().getName());
            slow.release();
            assertThat(resumedOn.get(10, TimeUnit.SECONDS)).startsWith("oidc-resume-");
            Authentication late = waiting.get(10, TimeUnit.SECONDS);
            assertThat(late).isInstanceOf(Authentication.Authenticated.class);
            assertThat(((Authentication.Authenticated) late).identity().user()).isEqualTo("carol");
        }
    }

    @Test
    void keysThatDoNotArriveInTimeAreAnswered503() throws Exception {
        try (SlowIssuer slow = new SlowIssuer(directory)) {
            String token = slowToken(slow);
            Authentication result = authenticator(slow).authenticateAsync(token).get(30, TimeUnit.SECONDS);
            assertRefused(result, 503, RefusalReason.ISSUER_UNAVAILABLE, token);
        }
    }

    private static String slowToken(SlowIssuer slow) {
        return slow.token("carol", AUDIENCE);
    }

    private static TokenAuthenticator authenticator(SlowIssuer slow) {
        return TokenAuthenticator.create(AuthenticatorSettings.builder()
                .issuer(IssuerSettings.builder(quick.issuer("quick"), AUDIENCE)
                        .usernameClaim("preferred_username")
                        .caFile(quick.caFile())
                        .build())
                .issuer(IssuerSettings.builder(slow.url(), AUDIENCE)
                        .usernameClaim("preferred_username")
                        .caFile(slow.caFile())
                        .build())
                .build());
    }
}
