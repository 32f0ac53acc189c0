package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.http.ResponseHead;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Heads as they cross the tunnel for {@code kubectl get pods}: the request as the relay forwards
 * it (kubectl's headers, the caller's OIDC token, our request id) and the apiserver's JSON answer.
 */
public final class TypicalHeads {

    /** About the length of an OIDC id token with a few group claims (header, claims, ES256 signature). */
    private static final String TOKEN =
            "eyJhbGciOiJFUzI1NiIsImtpZCI6ImJlbmNoIiwidHlwIjoiSldUIn0." + "x".repeat(620) + "." + "s".repeat(86);

    private TypicalHeads() {}

    /** {@code kubectl get pods} (kubectl 1.32), 8 headers, about 1 KiB. */
    public static RequestHead kubectlGet() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Host", "127.0.0.1:6443");
        headers.add("User-Agent", "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9");
        headers.add(
                "Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
                        + "g=meta.k8s.io,application/json");
        headers.add("Authorization", "Bearer " + TOKEN);
        headers.add("Kubectl-Command", "kubectl get");
        headers.add("Kubectl-Session", "0d5a2b1c-3e6f-4a7b-8c9d-0e1f2a3b4c5d");
        headers.add("Accept-Encoding", "gzip");
        headers.add("X-Clusterconnect-Request-Id", "5f0c8a1e9b7d4c3a2e1f0a9b8c7d6e5f");
        return new RequestHead("GET", "/api/v1/namespaces/default/pods?limit=500", headers);
    }

    /** A 200 with a JSON body of known length, 7 headers. */
    public static ResponseHead apiserverJson() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Audit-Id", "8b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e");
        headers.add("Cache-Control", "no-cache, private");
        headers.add("Content-Type", "application/json");
        headers.add("X-Kubernetes-Pf-Flowschema-Uid", "3c0d5b7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
        headers.add("X-Kubernetes-Pf-Prioritylevel-Uid", "7e8f9a0b-1c2d-4e3f-9a0b-1c2d3e4f5a6b");
        headers.add("Date", "Tue, 25 Nov 2026 10:15:30 GMT");
        headers.add("Content-Length", "3456");
        return new ResponseHead(200, headers);
    }
}
