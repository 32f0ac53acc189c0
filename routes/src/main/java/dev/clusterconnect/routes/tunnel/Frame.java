package dev.clusterconnect.routes.tunnel;

import io.netty.buffer.ByteBuf;

/**
 * One decoded frame. {@code payload} is a retained slice of the WebSocket message: whoever handles
 * the frame releases it (DATA payloads are handed on to a sink, which owns them from then on).
 */
record Frame(FrameType type, int streamId, ByteBuf payload) {}
