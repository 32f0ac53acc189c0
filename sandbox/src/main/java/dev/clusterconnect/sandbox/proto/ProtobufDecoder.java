package dev.clusterconnect.sandbox.proto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clusterconnect.sandbox.store.ApiException;
import dev.clusterconnect.sandbox.store.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Turns the protobuf bodies kubectl's typed clients send ({@code application/vnd.kubernetes.protobuf}:
 * the magic {@code k8s\0}, then a {@code runtime.Unknown} holding the type and the object) into the
 * JSON the store keeps. Empty strings and zero timestamps, which Go's encoder writes for every unset
 * field, are dropped as JSON's {@code omitempty} would.
 */
public final class ProtobufDecoder {

    /** The media type. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    /** Optional (pointer) fields in Go, where a zero or false that was sent means what it says. */
    private static final java.util.Set<String> KEEP_ZERO = java.util.Set.of(
            "replicas",
            "immutable",
            "terminationGracePeriodSeconds",
            "revisionHistoryLimit",
            "progressDeadlineSeconds");

    private ProtobufDecoder() {}

    /** Decodes an enveloped object; 415 for kinds this sandbox cannot read. */
    public static ObjectNode decode(byte[] body) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (body.length < MAGIC.length || body[i] != MAGIC[i]) {
                throw ApiException.badRequest("the protobuf body does not start with the Kubernetes magic number");
            }
        }
        ProtoReader unknown = new ProtoReader(ByteBuffer.wrap(body, MAGIC.length, body.length - MAGIC.length));
        String apiVersion = "";
        String kind = "";
        byte[] raw = new byte[0];
        while (unknown.hasMore()) {
            int tag = unknown.tag();
            if (tag >>> 3 == 1) {
                ProtoReader typeMeta = unknown.message();
                while (typeMeta.hasMore()) {
                    int t = typeMeta.tag();
                    String value = t >>> 3 <= 2 ? typeMeta.string() : skip(typeMeta, t);
                    apiVersion = t >>> 3 == 1 ? value : apiVersion;
                    kind = t >>> 3 == 2 ? value : kind;
                }
            } else if (tag >>> 3 == 2) {
                raw = unknown.bytes();
            } else {
                unknown.skip(tag);
            }
        }
        if (!ProtoSchemas.knows(kind)) {
            throw ApiException.unsupportedMediaType(MEDIA_TYPE + " for kind " + kind);
        }
        ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
        object.setAll(message(new ProtoReader(ByteBuffer.wrap(raw)), kind));
        return object;
    }

    private static ObjectNode message(ProtoReader reader, String message) {
        Map<Integer, ProtoSchemas.Field> fields = ProtoSchemas.fields(message);
        ObjectNode object = Json.object();
        while (reader.hasMore()) {
            int tag = reader.tag();
            ProtoSchemas.Field field = fields.get(tag >>> 3);
            if (field == null) {
                reader.skip(tag);
                continue;
            }
            JsonNode value = value(reader, field);
            if (value == null) {
                continue;
            }
            if (field.repeated()) {
                (object.has(field.name()) ? (ArrayNode) object.get(field.name()) : object.putArray(field.name()))
                        .add(value);
            } else if (value.isObject() && object.get(field.name()) instanceof ObjectNode existing) {
                existing.setAll((ObjectNode) value);
            } else {
                object.set(field.name(), value);
            }
        }
        return object;
    }

    private static JsonNode value(ProtoReader reader, ProtoSchemas.Field field) {
        return switch (field.type()) {
            case STRING -> {
                String s = reader.string();
                yield s.isEmpty() && !field.repeated()
                        ? null
                        : Json.MAPPER.getNodeFactory().textNode(s);
            }
            case BYTES ->
                Json.MAPPER.getNodeFactory().textNode(Base64.getEncoder().encodeToString(reader.bytes()));
            case INT -> {
                long n = reader.varint();
                yield n == 0 && !KEEP_ZERO.contains(field.name())
                        ? null
                        : Json.MAPPER.getNodeFactory().numberNode(n);
            }
            case BOOL -> {
                boolean b = reader.varint() != 0;
                yield !b && !KEEP_ZERO.contains(field.name())
                        ? null
                        : Json.MAPPER.getNodeFactory().booleanNode(b);
            }
            case MESSAGE -> message(reader.message(), field.message());
            case STRING_MAP, BYTES_MAP, QUANTITY_MAP -> mapEntry(reader.message(), field.type());
            case TIME -> time(reader.message());
            case INT_OR_STRING -> intOrString(reader.message());
            case QUANTITY -> quantity(reader.message());
        };
    }

    private static JsonNode mapEntry(ProtoReader entry, ProtoSchemas.Type type) {
        String key = "";
        JsonNode value = Json.MAPPER.getNodeFactory().textNode("");
        while (entry.hasMore()) {
            int tag = entry.tag();
            if (tag >>> 3 == 1) {
                key = entry.string();
            } else if (tag >>> 3 == 2) {
                value = switch (type) {
                    case BYTES_MAP ->
                        Json.MAPPER
                                .getNodeFactory()
                                .textNode(Base64.getEncoder().encodeToString(entry.bytes()));
                    case QUANTITY_MAP -> quantity(entry.message());
                    default -> Json.MAPPER.getNodeFactory().textNode(entry.string());
                };
            } else {
                entry.skip(tag);
            }
        }
        return Json.object().set(key, value);
    }

    private static JsonNode time(ProtoReader reader) {
        long seconds = 0;
        while (reader.hasMore()) {
            int tag = reader.tag();
            if (tag >>> 3 == 1) {
                seconds = reader.varint();
            } else {
                reader.skip(tag);
            }
        }
        return seconds == 0
                ? null
                : Json.MAPPER
                        .getNodeFactory()
                        .textNode(Instant.ofEpochSecond(seconds).toString());
    }

    private static JsonNode intOrString(ProtoReader reader) {
        long type = 0;
        long intValue = 0;
        String stringValue = "";
        while (reader.hasMore()) {
            int tag = reader.tag();
            switch (tag >>> 3) {
                case 1 -> type = reader.varint();
                case 2 -> intValue = reader.varint();
                case 3 -> stringValue = reader.string();
                default -> reader.skip(tag);
            }
        }
        return type == 1
                ? Json.MAPPER.getNodeFactory().textNode(stringValue)
                : Json.MAPPER.getNodeFactory().numberNode(intValue);
    }

    private static JsonNode quantity(ProtoReader reader) {
        String value = "";
        while (reader.hasMore()) {
            int tag = reader.tag();
            if (tag >>> 3 == 1) {
                value = reader.string();
            } else {
                reader.skip(tag);
            }
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    private static String skip(ProtoReader reader, int tag) {
        reader.skip(tag);
        return "";
    }

    /** Reads protobuf wire format from a buffer. */
    private static final class ProtoReader {
        private final ByteBuffer buffer;

        ProtoReader(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        boolean hasMore() {
            return buffer.hasRemaining();
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = next();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw ApiException.badRequest("malformed protobuf varint");
        }

        byte[] bytes() {
            int length = (int) varint();
            if (length < 0 || length > buffer.remaining()) {
                throw ApiException.badRequest("malformed protobuf length");
            }
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            return bytes;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        ProtoReader message() {
            return new ProtoReader(ByteBuffer.wrap(bytes()));
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> bytes();
                case 5 -> advance(4);
                default -> throw ApiException.badRequest("unsupported protobuf wire type " + (tag & 7));
            }
        }

        private void advance(int count) {
            if (count > buffer.remaining()) {
                throw ApiException.badRequest("truncated protobuf");
            }
            buffer.position(buffer.position() + count);
        }

        private byte next() {
            if (!buffer.hasRemaining()) {
                throw ApiException.badRequest("truncated protobuf");
            }
            return buffer.get();
        }
    }
}
