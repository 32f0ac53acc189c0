package dev.clusterconnect.routes.steps;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A step that changes one header of the HTTP request on its way to the next hop: sets it, or
 * appends a suffix to its value (setting it when it is absent). Declared as a bean in a YAML route
 * file and used by name (see {@code docs/yaml-routes.md}):
 *
 * <pre>
 * - beans:
 *     - name: userAgentSuffix
 *       type: dev.clusterconnect.routes.steps.RequestHeader
 *       properties: {name: User-Agent, append: " corp-ci/1.0"}
 * </pre>
 *
 * Headers that carry identity or framing ({@code Authorization}, {@code Impersonate-*},
 * {@code Host}, {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection},
 * {@code Upgrade}) cannot be changed this way: the hops own them.
 */
public final class RequestHeader implements Processor {

    private String name;
    private String set;
    private String append;

    public void setName(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (lower.isEmpty()
                || lower.startsWith("impersonate-")
                || switch (lower) {
                    case "authorization", "host", "content-length", "transfer-encoding", "connection", "upgrade" ->
                        true;
                    default -> false;
                }) {
            throw new IllegalArgumentException(
                    "the request header " + name + " is owned by the hops; a route step cannot change it");
        }
        this.name = name.strip();
    }

    /** The value the header gets, replacing any it had. */
    public void setSet(String value) {
        this.set = value;
    }

    /** Added to the end of the header's value; the whole value when the request has none. */
    public void setAppend(String suffix) {
        this.append = suffix;
    }

    @Override
    public void process(Exchange exchange) {
        if (name == null || (set == null) == (append == null)) {
            throw new IllegalStateException("a RequestHeader step needs a name and one of set or append");
        }
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        HttpHeaders headers = new DefaultHttpHeaders().add(call.head().headers());
        String value = set != null ? set : headers.get(name, "") + append;
        headers.set(name, value);
        call.head(new RequestHead(call.head().method(), call.head().target(), headers));
    }
}
