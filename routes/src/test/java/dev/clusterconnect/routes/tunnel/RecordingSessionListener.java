package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.RequestHead;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** Records what a session reports; what to do with an opened stream is up to the test. */
final class RecordingSessionListener implements SessionListener {

    record Opened(TunnelStream stream, RequestHead head, CollectingSink body) {}

    final List<Opened> opened = new ArrayList<>();
    final List<String> goAways = new ArrayList<>();
    int closed;
    private BiConsumer<TunnelStream, RequestHead> onOpen = (stream, head) -> {};
    private Predicate<RequestHead> stall = head -> false;

    /** What to do after an opened stream's request body was connected to a sink. */
    RecordingSessionListener whenOpened(BiConsumer<TunnelStream, RequestHead> action) {
        this.onOpen = action;
        return this;
    }

    /** Request bodies of the matching requests go to a consumer that stopped reading. */
    RecordingSessionListener stallRequestBodies(Predicate<RequestHead> which) {
        this.stall = which;
        return this;
    }

    @Override
    public void onOpen(TunnelStream stream, RequestHead head) {
        CollectingSink body = stall.test(head) ? CollectingSink.stalled() : new CollectingSink();
        opened.add(new Opened(stream, head, body));
        stream.inbound().start(body);
        onOpen.accept(stream, head);
    }

    @Override
    public void onGoAway(TunnelSession session, String reason) {
        goAways.add(reason);
    }

    @Override
    public void onClosed(TunnelSession session) {
        closed++;
    }

    Opened opened(int index) {
        return opened.get(index);
    }
}
