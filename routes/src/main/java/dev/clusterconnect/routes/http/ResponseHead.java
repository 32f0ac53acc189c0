package dev.clusterconnect.routes.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** The head of an HTTP response as it travels back through the chain. */
public record ResponseHead(int status, HttpHeaders headers) {

    public static ResponseHead of(int status) {
        return new ResponseHead(status, new DefaultHttpHeaders());
    }

    public boolean isSwitchingProtocols() {
        return status == 101;
    }
}
