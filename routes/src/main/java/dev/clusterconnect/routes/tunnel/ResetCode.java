package dev.clusterconnect.routes.tunnel;

/** Why a stream was reset (docs/protocol.md, "Errors"). */
public enum ResetCode {
    CANCEL(1),
    PROTOCOL(2),
    FLOW_CONTROL(3),
    REFUSED(4),
    INTERNAL(5),
    UPSTREAM(6),
    STREAM_CLOSED(7),
    TOO_LARGE(8);

    final int code;

    ResetCode(int code) {
        this.code = code;
    }

    static ResetCode of(int code) {
        for (ResetCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return INTERNAL;
    }
}
