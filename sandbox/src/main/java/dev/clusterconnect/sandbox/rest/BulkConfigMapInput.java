package dev.clusterconnect.sandbox.rest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.stream.ChunkedInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Generates a {@code ConfigMapList} body one config map per chunk, never holding more than one item
 * in memory. Items are named {@code bulk-00000000}, ... and carry a {@code payload} of
 * {@link #PAYLOAD_BYTES} characters.
 */
final class BulkConfigMapInput implements ChunkedInput<ByteBuf> {

    /** Payload per config map: large enough to fill a list quickly, small enough to be one chunk. */
    static final int PAYLOAD_BYTES = 64 * 1024;

    private static final byte[] PAYLOAD = filled(PAYLOAD_BYTES);

    private final String namespace;
    private final long first;
    private final long end;
    private final long remaining;
    private final String continueToken;
    private final long resourceVersion;
    private long next;
    private boolean headerSent;
    private boolean footerSent;

    BulkConfigMapInput(
            String namespace, long start, long end, long remaining, String continueToken, long resourceVersion) {
        this.namespace = namespace;
        this.first = start;
        this.next = start;
        this.end = end;
        this.remaining = remaining;
        this.continueToken = continueToken;
        this.resourceVersion = resourceVersion;
    }

    /** How many items make up about {@code totalBytes}. */
    static long itemCount(long totalBytes) {
        return Math.max(1, (totalBytes + PAYLOAD_BYTES - 1) / PAYLOAD_BYTES);
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (!headerSent) {
            headerSent = true;
            return ascii(allocator, header());
        }
        if (next < end) {
            return item(allocator, next++);
        }
        if (!footerSent) {
            footerSent = true;
            return ascii(allocator, "]}\n");
        }
        return null;
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(io.netty.channel.ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public boolean isEndOfInput() {
        return footerSent;
    }

    @Override
    public void close() {
        next = end;
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public long progress() {
        return next;
    }

    private String header() {
        StringBuilder metadata = new StringBuilder("{\"resourceVersion\":\"")
                .append(resourceVersion)
                .append('"');
        if (!continueToken.isEmpty()) {
            metadata.append(",\"continue\":\"")
                    .append(continueToken)
                    .append("\",\"remainingItemCount\":")
                    .append(remaining);
        }
        return "{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":" + metadata + "},\"items\":[";
    }

    private ByteBuf item(ByteBufAllocator allocator, long index) {
        String name = String.format("bulk-%08d", index);
        String prefix = (index > first ? "," : "") + "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"uid\":\"00000000-0000-4000-8000-" + String.format("%012d", index)
                + "\",\"resourceVersion\":\"1\",\"creationTimestamp\":\"2024-01-01T00:00:00Z\"},\"data\":{\"payload\":\"";
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = allocator.buffer(head.length + PAYLOAD.length + 3);
        return buf.writeBytes(head).writeBytes(PAYLOAD).writeBytes(new byte[] {'"', '}', '}'});
    }

    private static ByteBuf ascii(ByteBufAllocator allocator, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return allocator.buffer(bytes.length).writeBytes(bytes);
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }
}
