package dev.clusterconnect.routes.tunnel;

import dev.clusterconnect.routes.http.ResponseHead;
import java.util.ArrayList;
import java.util.List;

/** The relay side of one stream: records the response head and collects the body into a sink. */
final class RecordingStreamListener implements StreamListener {

    record Reset(ResetCode code, String reason) {}

    final CollectingSink body;
    final List<ResponseHead> responses = new ArrayList<>();
    final List<Reset> resets = new ArrayList<>();

    RecordingStreamListener() {
        this(new CollectingSink());
    }

    RecordingStreamListener(CollectingSink body) {
        this.body = body;
    }

    @Override
    public void onResponse(TunnelStream stream, ResponseHead head) {
        responses.add(head);
        stream.inbound().start(body);
    }

    @Override
    public void onReset(ResetCode code, String reason) {
        resets.add(new Reset(code, reason));
    }
}
