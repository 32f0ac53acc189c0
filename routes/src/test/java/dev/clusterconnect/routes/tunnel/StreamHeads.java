package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** Request and response heads for tests. */
final class StreamHeads {

    private StreamHeads() {}

    static RequestHead get(String target) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Accept", "application/json");
        return new RequestHead("GET", target, headers);
    }

    static RequestHead post(String target) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Content-Type", "application/json");
        return new RequestHead("POST", target, headers);
    }

    static ResponseHead ok() {
        ResponseHead head = ResponseHead.of(200);
        head.headers().add("Content-Type", "application/json");
        return head;
    }

    /** A head carrying {@code bytes} of header value: over the test settings' 1 KiB limit when large. */
    static HttpHeaders headersOf(int bytes) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("X-Padding", "p".repeat(bytes));
        return headers;
    }
}
