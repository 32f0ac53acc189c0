package dev.clusterconnect.routes.component.kubeserver;

import dev.clusterconnect.routes.http.HttpCall;

/** What a request's path leads to on a {@link KubeServer}: one route's consumer, or the REST operations under a base path. */
interface RequestTarget {

    /** Takes the request on its connection's event loop; answers through the responder, now or later. */
    void handle(HttpCall call, Responder responder);
}
