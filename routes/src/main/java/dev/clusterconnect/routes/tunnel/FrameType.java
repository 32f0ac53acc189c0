package dev.clusterconnect.routes.tunnel;

/** The frame types of protocol v1 (docs/protocol.md). */
public enum FrameType {
    OPEN(1),
    HEADERS(2),
    DATA(3),
    END(4),
    RESET(5),
    WINDOW(6),
    PING(7),
    PONG(8),
    GOAWAY(9);

    private static final FrameType[] BY_CODE = new FrameType[16];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type for a code, or null for one this version does not know (ignored by receivers). */
    static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
