package dev.clusterconnect.agent.steps;

import static dev.clusterconnect.agent.steps.Calls.assertStatus;
import static dev.clusterconnect.agent.steps.Calls.exchange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.KubeIdentity;
import dev.clusterconnect.routes.identity.TokenAuthenticator;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 2: the agent verifies the caller's bearer token itself, against its own trusted issuers. A
 * refusal is a Kubernetes Status that says why; the token shows up in no message and no log line.
 */
class AuthenticateTest {

    @TempDir
    static Path directory;

    private static TestIssuer issuer;
    private static ECKey attackerKey;
    private static Authenticate step;

    private LogCapture logs;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuer = new TestIssuer(directory);
        attackerKey = TestIssuer.ecKey("attacker");
        step = authenticateWith(Map.of());
        // The issuer's keys are fetched now, so the tests below run the step's synchronous path.
        run(
                step,
                "Authorization",
                "Bearer " + issuer.sign(issuer.claims("warm-up").build()));
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void captureLogs() {
        logs = new LogCapture();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void aGoodTokenYieldsTheMappedIdentityOnTheExchange() throws Exception {
        String token = issuer.sign(issuer.claims("alice", "dev", "ops").build());

        Exchange exchange = run(step, "Authorization", "Bearer " + token);

        assertNull(exchange.getException());
        Authentication.Authenticated result =
                assertInstanceOf(Authentication.Authenticated.class, exchange.getProperty(Authenticate.RESULT));
        assertEquals(new KubeIdentity("alice", List.of("dev", "ops"), null, Map.of()), result.identity());
        assertEquals(issuer.url(), result.issuer());
        assertEquals("sub-alice", result.subject());
        assertNull(exchange.getProperty(Authenticate.PASS_THROUGH_TOKEN), "the token is kept only for pass-through");
        assertTrue(
                logs.lines().stream()
                        .anyMatch(line -> line.startsWith("INFO clusterconnect.audit")
                                && line.contains("by subject sub-alice of " + issuer.url()
                                        + " as user alice groups [dev, ops]")),
                logs.lines().toString());
        logs.assertNoLineQuotes(token);
    }

    @Test
    void theAuthorizationSchemeIsMatchedInAnyCase() throws Exception {
        Exchange exchange = run(
                step,
                "Authorization",
                "bearer " + issuer.sign(issuer.claims("alice").build()));

        assertInstanceOf(Authentication.Authenticated.class, exchange.getProperty(Authenticate.RESULT));
    }

    @Test
    void aRequestArrivingBeforeTheIssuersKeysWaitsForThemWithoutFailing() throws Exception {
        // A new authenticator has fetched nothing yet: the step finishes once the keys arrive.
        Exchange exchange = run(
                authenticateWith(Map.of()),
                "Authorization",
                "Bearer " + issuer.sign(issuer.claims("early-bird").build()));

        assertNull(exchange.getException());
        Authentication.Authenticated result =
                assertInstanceOf(Authentication.Authenticated.class, exchange.getProperty(Authenticate.RESULT));
        assertEquals("early-bird", result.identity().user());
    }

    @Test
    void aRequestWithoutATokenIsRefusedWith401() throws Exception {
        assertRefused(run(step), 401, "Unauthorized", "a bearer token is required", null);
        assertRefused(
                run(step, "Authorization", "Basic YWxpY2U6c2VjcmV0"),
                401,
                "Unauthorized",
                "a bearer token is required",
                "YWxpY2U6c2VjcmV0");
        assertRefused(
                run(step, "Authorization", "Bearer    "), 401, "Unauthorized", "a bearer token is required", null);
    }

    @Test
    void twoAuthorizationHeadersAreRefusedWith400() throws Exception {
        String token = issuer.sign(issuer.claims("alice").build());

        Exchange exchange = run(step, "Authorization", "Bearer " + token, "Authorization", "Bearer " + token);

        assertRefused(exchange, 400, "BadRequest", "a request may carry one Authorization header", token);
    }

    @Test
    void aMalformedTokenIsRefusedWith401() throws Exception {
        String notAJwt = "notajwt.butlooksabitlikeone.doesntit";
        assertRefused(
                run(step, "Authorization", "Bearer " + notAJwt), 401, "Unauthorized", "not a well-formed JWT", notAJwt);
        assertTrue(
                logs.lines().stream().anyMatch(line -> line.contains("refused a caller: malformed")),
                logs.lines().toString());

        String withIllegalCharacters = issuer.sign(issuer.claims("alice").build()) + "\"<script>";
        assertRefused(
                run(step, "Authorization", "Bearer " + withIllegalCharacters),
                401,
                "Unauthorized",
                "characters a bearer token cannot contain",
                withIllegalCharacters);
    }

    @Test
    void aTokenFromAnUntrustedIssuerIsRefusedWith401() throws Exception {
        String token = TestIssuer.sign(
                attackerKey,
                issuer.claims("alice").issuer("https://attacker.example/corp").build());

        assertRefused(
                run(step, "Authorization", "Bearer " + token),
                401,
                "Unauthorized",
                "token issuer is not trusted",
                token);
        assertTrue(
                logs.lines().stream().anyMatch(line -> line.contains("refused a caller: untrusted_issuer")),
                logs.lines().toString());
    }

    @Test
    void aTokenForgedInTheTrustedIssuersNameIsRefusedWith401() throws Exception {
        ECKey impostor = TestIssuer.ecKey(issuer.key().getKeyID());
        String token = TestIssuer.sign(impostor, issuer.claims("alice").build());

        assertRefused(
                run(step, "Authorization", "Bearer " + token),
                401,
                "Unauthorized",
                "token signature is invalid",
                token);
    }

    @Test
    void anExpiredTokenIsRefusedWith401() throws Exception {
        Instant anHourAgo = Instant.now().minusSeconds(3600);
        String token = issuer.sign(issuer.claims("alice")
                .issueTime(Date.from(anHourAgo))
                .notBeforeTime(Date.from(anHourAgo))
                .expirationTime(Date.from(anHourAgo.plusSeconds(600)))
                .build());

        assertRefused(run(step, "Authorization", "Bearer " + token), 401, "Unauthorized", "token has expired", token);
        assertTrue(
                logs.lines().stream().anyMatch(line -> line.contains("refused a caller: expired")),
                logs.lines().toString());
    }

    @Test
    void aTokenForAnotherAudienceIsRefusedWith401() throws Exception {
        String token = issuer.sign(
                issuer.claims("alice").audience("api://some-other-service").build());

        KubeStatusException refused = assertRefused(
                run(step, "Authorization", "Bearer " + token), 401, "Unauthorized", "token audience is", token);
        assertTrue(refused.getMessage().contains("expected " + TestIssuer.AUDIENCE), refused.getMessage());
        assertTrue(
                logs.lines().stream().anyMatch(line -> line.contains("refused a caller: wrong_audience")),
                logs.lines().toString());
    }

    @Test
    void aSystemIdentityIsRefusedWith403UnlessConfigured() throws Exception {
        String systemUser = issuer.sign(issuer.claims("system:admin").build());
        String systemGroup =
                issuer.sign(issuer.claims("mallory", "dev", "system:masters").build());
        String upperCase =
                issuer.sign(issuer.claims("SYSTEM:kube-controller-manager").build());

        assertRefused(
                run(step, "Authorization", "Bearer " + systemUser),
                403,
                "Forbidden",
                "the mapped user name is in the reserved 'system:' space",
                systemUser);
        assertRefused(
                run(step, "Authorization", "Bearer " + systemGroup),
                403,
                "Forbidden",
                "a mapped group is in the reserved 'system:' space",
                systemGroup);
        assertRefused(
                run(step, "Authorization", "Bearer " + upperCase),
                403,
                "Forbidden",
                "reserved 'system:' space",
                upperCase);

        Authenticate allowing = authenticateWith(Map.of("agent.oidc.allow-system-identities", "true"));
        Authentication.Authenticated admin = assertInstanceOf(
                Authentication.Authenticated.class,
                run(allowing, "Authorization", "Bearer " + systemUser).getProperty(Authenticate.RESULT));
        assertEquals("system:admin", admin.identity().user());
        Authentication.Authenticated masters = assertInstanceOf(
                Authentication.Authenticated.class,
                run(allowing, "Authorization", "Bearer " + systemGroup).getProperty(Authenticate.RESULT));
        assertEquals(List.of("dev", "system:masters"), masters.identity().groups());
    }

    @Test
    void withPassThroughOnAServiceAccountTokenIsKeptForTheApiserverAndATrustedOneStillAuthenticated() throws Exception {
        Authenticate passing = authenticateWith(Map.of("agent.oidc.service-account-tokens", "true"));
        String serviceAccount = TestIssuer.sign(
                attackerKey,
                issuer.claims("system:serviceaccount:default:builder")
                        .issuer("https://kubernetes.default.svc.cluster.local")
                        .build());
        String trusted = issuer.sign(issuer.claims("alice").build());

        Exchange passed = run(passing, "Authorization", "Bearer " + serviceAccount);
        Exchange authenticated = run(passing, "Authorization", "Bearer " + trusted);

        assertInstanceOf(Authentication.PassThrough.class, passed.getProperty(Authenticate.RESULT));
        assertEquals(serviceAccount, passed.getProperty(Authenticate.PASS_THROUGH_TOKEN));
        assertInstanceOf(Authentication.Authenticated.class, authenticated.getProperty(Authenticate.RESULT));
        assertNull(authenticated.getProperty(Authenticate.PASS_THROUGH_TOKEN));
        logs.assertNoLineQuotes(serviceAccount);
        logs.assertNoLineQuotes(trusted);
    }

    @Test
    void throughTheWholeChainTheApiserverSeesTheAgentsTokenAndTheMappedCallerOnly() throws Exception {
        String token = issuer.sign(issuer.claims("alice", "dev").build());
        Exchange exchange = exchange(
                "Accept",
                "application/json",
                "Authorization",
                "Bearer " + token,
                "Cookie",
                "session=1",
                "X-Forwarded-For",
                "10.1.2.3",
                "Connection",
                "Impersonate-User");
        CompletableFuture<Boolean> done = new CompletableFuture<>();

        // In AgentRouteBuilder's order.
        new RefuseClientImpersonation().process(exchange);
        step.process(exchange, done::complete);
        done.get(5, TimeUnit.SECONDS);
        new FreshHeaders().process(exchange);
        new Impersonate(() -> "agent-sa-token").process(exchange);

        assertNull(exchange.getException());
        assertEquals(
                List.of(
                        "Accept: application/json",
                        "Authorization: Bearer agent-sa-token",
                        "Impersonate-User: alice",
                        "Impersonate-Group: dev"),
                Calls.lines(Calls.headers(exchange)));
    }

    /**
     * Asserts the exchange ended with the Status, carries no authentication result, and neither the
     * Status nor any log line quotes the token.
     */
    private KubeStatusException assertRefused(
            Exchange exchange, int code, String reason, String fragment, String token) {
        KubeStatusException refused = assertStatus(exchange.getException(), code, reason, fragment);
        assertNull(exchange.getProperty(Authenticate.RESULT), "no authentication result on a refused exchange");
        if (token != null) {
            for (int i = 0; i + 16 <= token.length(); i++) {
                assertFalse(refused.getMessage().contains(token.substring(i, i + 16)), "the Status quotes the token");
            }
            logs.assertNoLineQuotes(token);
        }
        return refused;
    }

    private static Authenticate authenticateWith(Map<String, String> more) {
        return new Authenticate(TokenAuthenticator.fromProperties(issuer.agentProperties(more), "agent.oidc"));
    }

    /** Runs the step as Camel would, waiting (at most 5 s) for it to call back when it finishes late. */
    private static Exchange run(Authenticate authenticate, String... headers) throws Exception {
        Exchange exchange = exchange(headers);
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        boolean sync = authenticate.process(exchange, done::complete);
        assertEquals(sync, done.get(5, TimeUnit.SECONDS), "the callback agrees with the step on how it finished");
        return exchange;
    }
}
