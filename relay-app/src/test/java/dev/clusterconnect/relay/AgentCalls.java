package dev.clusterconnect.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.stream.BytesSource;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** The agent API's JSON calls handed straight to their processor, without a server in between. */
final class AgentCalls {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    private AgentCalls() {}

    /** POSTs the body to the processor; a refusal arrives as the KubeStatusException it throws. */
    static Answer post(Processor processor, String target, Map<String, String> headerValues, JsonNode body)
            throws Exception {
        HttpHeaders headers = new DefaultHttpHeaders();
        headerValues.forEach(headers::add);
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage()
                .setBody(new HttpCall(
                        new RequestHead("POST", target, headers),
                        new BytesSource(body.toString().getBytes(StandardCharsets.UTF_8)),
                        null,
                        "test"));
        processor.process(exchange);
        return new Answer(
                exchange.getMessage().getHeader(ClusterConnectHeaders.RESPONSE_CODE, Integer.class),
                JSON.readTree(exchange.getMessage().getBody(String.class)));
    }

    /** A fresh agent key pair, named the way the agent names it: by its thumbprint. */
    static ECKey newKey() throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
    }

    /** The public half as JSON, optionally with another kid (or none, for null). */
    static ObjectNode publicJwk(ECKey key, String kid) throws Exception {
        ObjectNode jwk = (ObjectNode) JSON.readTree(key.toPublicJWK().toJSONString());
        if (kid == null) {
            jwk.remove("kid");
        } else {
            jwk.put("kid", kid);
        }
        return jwk;
    }

    static String thumbprint(ECKey key) throws Exception {
        return key.computeThumbprint().toString();
    }

    record Answer(int status, JsonNode body) {}
}
