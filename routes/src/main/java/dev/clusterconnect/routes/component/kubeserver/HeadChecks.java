package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.component.tunnel.TunnelProducer;
import dev.clusterconnect.routes.http.RequestLine;
import dev.clusterconnect.routes.status.KubeStatusException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a request head must be before any route sees it. Netty's decoder is lenient where a hop
 * behind us may not be: each rule here closes a way for two hops to read one request differently
 * (RFC 9112). A refusal names the rule, never a header's value, so it is safe to log and to show.
 */
final class HeadChecks {

    /** At most 18 digits: any length that fits a long, and no sign, space or hex that a hop might read differently. */
    private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

    /** Headers whose second copy one hop would ignore and another would use. */
    private static final List<String> ONCE_ONLY = List.of(TunnelProducer.PEER_CLUSTER_HEADER);

    private HeadChecks() {}

    /** Why the request must be refused, or null when it may be served. */
    static KubeStatusException refusal(HttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure() && decoded.cause() instanceof TooLongFrameException) {
            return new KubeStatusException(431, "request header fields too large");
        }
        if (decoded.isFailure() && decoded.cause() instanceof KubeStatusException refusal) {
            return refusal; // StrictRequestDecoder's own rule
        }
        if (decoded.isSuccess() && !supported(request.protocolVersion())) {
            return new KubeStatusException(505, "HTTP version not supported: only HTTP/1.0 and HTTP/1.1 are served");
        }
        String broken = decoded.isSuccess() ? requestLineError(request) : null;
        if (broken == null) {
            broken = framingError(request.protocolVersion(), request.headers());
        }
        if (broken == null) {
            broken = repeatedHeader(request.headers());
        }
        if (broken == null && decoded.isSuccess()) {
            // Only a head that parsed completely can be known to lack a Host.
            broken = hostError(request.protocolVersion(), request.headers());
        }
        if (broken == null && decoded.isFailure()) {
            broken = "malformed HTTP request";
        }
        return broken == null ? null : new KubeStatusException(400, broken);
    }

    private static boolean supported(HttpVersion version) {
        return version.equals(HttpVersion.HTTP_1_1) || version.equals(HttpVersion.HTTP_1_0);
    }

    /** The method and target every later hop writes into its own request line and routes by. */
    private static String requestLineError(HttpRequest request) {
        if (!RequestLine.isMethod(request.method().name())) {
            return "the request method must be a token (RFC 9110)";
        }
        return RequestLine.targetFlaw(request.uri());
    }

    /** RFC 9112 §6.1 and §6.3: the body's end must be beyond doubt, or the next request is the attacker's. */
    private static String framingError(HttpVersion version, HttpHeaders headers) {
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (!codings.isEmpty() && !lengths.isEmpty()) {
            return "a request may not carry both Content-Length and Transfer-Encoding";
        }
        if (!codings.isEmpty() && !version.equals(HttpVersion.HTTP_1_1)) {
            return "an HTTP/1.0 request may not carry Transfer-Encoding";
        }
        // One header line naming exactly chunked: another coding, before or after it, would
        // leave a hop that does not know it (or ignores it) reading a different body.
        if (!codings.isEmpty() && (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked"))) {
            return "a request's Transfer-Encoding may only be chunked, once";
        }
        if (lengths.size() > 1) {
            return "a request may carry one Content-Length";
        }
        if (!lengths.isEmpty() && !LENGTH.matcher(lengths.get(0).trim()).matches()) {
            return "a request's Content-Length must be a non-negative decimal number";
        }
        return null;
    }

    /** RFC 9112 §3.2: the Host of an HTTP/1.1 request is not optional, and two are an attack. */
    private static String hostError(HttpVersion version, HttpHeaders headers) {
        int hosts = headers.getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1) {
            return "a request may carry one Host header";
        }
        if (hosts == 0 && version.equals(HttpVersion.HTTP_1_1)) {
            return "an HTTP/1.1 request must carry a Host header";
        }
        return null;
    }

    private static String repeatedHeader(HttpHeaders headers) {
        for (String name : ONCE_ONLY) {
            if (headers.getAll(name).size() > 1) {
                return "a request may carry one " + name + " header";
            }
        }
        return null;
    }
}
