package dev.clusterconnect.agent.steps;

import static dev.clusterconnect.agent.steps.Calls.assertStatus;
import static dev.clusterconnect.agent.steps.Calls.call;
import static dev.clusterconnect.agent.steps.Calls.exchange;
import static dev.clusterconnect.agent.steps.Calls.headers;
import static dev.clusterconnect.agent.steps.Calls.lines;
import static dev.clusterconnect.agent.steps.Calls.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Step 1: a client never chooses whom the agent impersonates; kubectl's {@code --as} is refused, not ignored. */
class RefuseClientImpersonationTest {

    private final RefuseClientImpersonation step = new RefuseClientImpersonation();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Impersonate-User",
                "Impersonate-Group",
                "Impersonate-Uid",
                "Impersonate-Extra-scopes",
                "Impersonate-Extra-acme.com%2Fproject",
                "iMpErSoNaTe-uSeR",
                "IMPERSONATE-GROUP",
                "impersonate-uid",
                "impersonate-extra-reason",
                "Impersonate-Something-Kubernetes-Adds-Later"
            })
    void everyImpersonationHeaderInAnyCaseIsRefusedWith403(String name) {
        Exchange exchange =
                exchange("Accept", "application/json", "Authorization", "Bearer caller-token", name, "system:admin");

        KubeStatusException refused = assertThrows(KubeStatusException.class, () -> step.process(exchange));

        assertStatus(refused, 403, "Forbidden", "impersonation headers are not accepted through clusterconnect");
        assertTrue(
                refused.getMessage().contains("(" + name + ")"), "names the header as sent: " + refused.getMessage());
        assertTrue(
                refused.getMessage().endsWith("access is granted to the identity in your token"), refused.getMessage());
        assertTrue(
                !refused.getMessage().contains("system:admin")
                        && !refused.getMessage().contains("caller-token"),
                "quotes neither the header's value nor the token: " + refused.getMessage());
    }

    @Test
    void anImpersonationHeaderAmongManyIsStillFound() {
        Exchange exchange = exchange(
                "Accept",
                "application/json",
                "User-Agent",
                "kubectl/v1.31.0",
                "Impersonate-Group",
                "system:masters",
                "Impersonate-Group",
                "developers",
                "Kubectl-Command",
                "kubectl get");

        assertStatus(
                assertThrows(KubeStatusException.class, () -> step.process(exchange)),
                403,
                "Forbidden",
                "Impersonate-Group");
    }

    @Test
    void kubectlAsWithGroupsIsRefusedWhicheverHeaderComesFirst() {
        // kubectl --as=jane --as-group=admins sends both; the first one met ends the request.
        Exchange exchange = exchange("Impersonate-User", "jane", "Impersonate-Group", "admins");

        assertStatus(
                assertThrows(KubeStatusException.class, () -> step.process(exchange)),
                403,
                "Forbidden",
                "(Impersonate-User)");
    }

    @Test
    void anOrdinaryRequestPassesUntouched() throws Exception {
        Exchange exchange = request(
                "GET",
                "/api/v1/namespaces/default/pods?watch=true",
                "Accept",
                "application/json",
                "Authorization",
                "Bearer caller-token",
                "User-Agent",
                "kubectl/v1.31.0",
                "X-Impersonated-By",
                "nobody",
                "Accept",
                "application/yaml");
        RequestHead before = call(exchange).head();
        List<String> linesBefore = lines(before.headers());

        step.process(exchange);

        assertSame(before, call(exchange).head(), "the head is not replaced");
        assertEquals(linesBefore, lines(headers(exchange)), "no header added, removed or reordered");
        assertEquals(
                "/api/v1/namespaces/default/pods?watch=true",
                call(exchange).head().target());
        assertEquals(null, exchange.getException());
    }
}
