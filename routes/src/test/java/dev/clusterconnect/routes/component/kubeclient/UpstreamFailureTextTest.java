package dev.clusterconnect.routes.component.kubeclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** A 502's message says what kind of failure it was, never the upstream's address from the exception. */
class UpstreamFailureTextTest {

    @Test
    void eachKindIsNamedWithoutTheExceptionsText() {
        assertEquals(
                "connection refused", UpstreamCall.kindOf(new ConnectException("Connection refused: /10.0.0.1:6443")));
        assertEquals(
                "no answer within the connect timeout",
                UpstreamCall.kindOf(new ConnectTimeoutException("connection timed out: /10.0.0.1:6443")));
        assertEquals("unknown host", UpstreamCall.kindOf(new UnknownHostException("kubernetes.internal.corp")));
        assertEquals(
                "TLS handshake failed",
                UpstreamCall.kindOf(new SSLHandshakeException("PKIX path building failed for 10.0.0.1")));
        String other = UpstreamCall.kindOf(new IllegalStateException("pool of 10.0.0.1:6443 closed"));
        assertFalse(other.contains("10.0.0.1"), other);
    }
}
