package dev.clusterconnect.routes.component.kubeclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.http.RequestHead;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** Which requests may be sent a second time after their connection died unanswered. */
class ReplayableRequestTest {

    @Test
    void safeMethodsWithoutABodyAreReplayable() {
        assertThat(UpstreamCall.replayable(head("GET"))).isTrue();
        assertThat(UpstreamCall.replayable(head("HEAD"))).isTrue();
        assertThat(UpstreamCall.replayable(head("OPTIONS"))).isTrue();
        assertThat(UpstreamCall.replayable(head("GET", "Content-Length", "0"))).isTrue();
    }

    @Test
    void methodsThatChangeSomethingAreNot() {
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "get"}) {
            assertThat(UpstreamCall.replayable(head(method))).as(method).isFalse();
        }
    }

    @Test
    void aGetWithABodyIsNot() {
        assertThat(UpstreamCall.replayable(head("GET", "Content-Length", "12"))).isFalse();
        assertThat(UpstreamCall.replayable(head("GET", "Transfer-Encoding", "chunked")))
                .isFalse();
    }

    @Test
    void anUpgradeIsNot() {
        RequestHead exec = head("GET", "Upgrade", "SPDY/3.1");
        exec.headers().set("Connection", "Upgrade");
        assertThat(UpstreamCall.replayable(exec)).isFalse();
    }

    private static RequestHead head(String method, String... nameValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.set(nameValues[i], nameValues[i + 1]);
        }
        return new RequestHead(method, "/api/v1/pods", headers);
    }
}
