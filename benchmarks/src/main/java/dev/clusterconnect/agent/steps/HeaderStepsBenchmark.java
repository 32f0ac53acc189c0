package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.identity.Authentication;
import dev.clusterconnect.routes.identity.ImpersonationHeaders;
import dev.clusterconnect.routes.identity.KubeIdentity;
import dev.clusterconnect.routes.tunnel.TypicalHeads;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The agent's header steps for one {@code kubectl get pods} by an OIDC user with two groups and one
 * extra: refuse client impersonation, start a fresh header map, add the impersonation headers and
 * the agent's credential. Authentication (the token's signature check) is left out: it is the
 * issuer's cryptography, not header mapping, and the agent caches nothing of it per request.
 * The steps run on one exchange whose request head is put back before each operation, so only
 * the steps' own work is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeaderStepsBenchmark {

    private static final KubeIdentity ALICE = new KubeIdentity(
            "alice@example.com", List.of("dev", "ops"), null, Map.of("acr", List.of("urn:mace:incommon:iap:silver")));
    private static final String AGENT_TOKEN =
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImFnZW50In0." + "a".repeat(700) + "." + "b".repeat(342);

    private final RefuseClientImpersonation refuse = new RefuseClientImpersonation();
    private final FreshHeaders fresh = new FreshHeaders();
    private final Impersonate impersonate = new Impersonate(() -> AGENT_TOKEN);
    private CamelContext camel;
    private Exchange exchange;
    private HttpCall call;
    private RequestHead received;

    @Setup(Level.Trial)
    public void setUp() {
        camel = new DefaultCamelContext();
        received = TypicalHeads.kubectlGet();
        call = new HttpCall(received, null, null, "5f0c8a1e9b7d4c3a2e1f0a9b8c7d6e5f");
        exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(call);
        exchange.setProperty(
                Authenticate.RESULT, new Authentication.Authenticated(ALICE, "https://issuer.example.com", "alice"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        camel.close();
    }

    /** The three steps in the route's order; returns the head that goes to the apiserver. */
    @Benchmark
    public RequestHead steps() throws Exception {
        call.head(received);
        refuse.process(exchange);
        fresh.process(exchange);
        impersonate.process(exchange);
        return call.head();
    }

    @Benchmark
    public HttpCall refuseClientImpersonation() {
        refuse.process(exchange);
        return call;
    }

    @Benchmark
    public RequestHead freshHeaders() {
        call.head(received);
        fresh.process(exchange);
        return call.head();
    }

    /** The header list {@link Impersonate} adds, built anew for every request. */
    @Benchmark
    public List<ImpersonationHeaders.Header> impersonationHeaders() {
        return ImpersonationHeaders.of(ALICE);
    }
}
