package dev.clusterconnect.agent.steps;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1: a client may not choose who the agent impersonates. Any {@code Impersonate-*} header,
 * in any case, ends the request with 403 (kubectl's {@code --as} included: access goes through
 * the identity in the token, never through a header the client controls).
 */
public final class RefuseClientImpersonation implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RefuseClientImpersonation.class);

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        for (String name : call.head().headers().names()) {
            if (name.toLowerCase(Locale.ROOT).startsWith("impersonate-")) {
                LOG.warn("[{}] refused a request carrying {}", call.correlationId(), name);
                throw new KubeStatusException(
                        403,
                        "impersonation headers are not accepted through clusterconnect (" + name
                                + "); access is granted to the identity in your token");
            }
        }
    }
}
