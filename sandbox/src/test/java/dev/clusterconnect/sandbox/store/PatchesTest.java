package dev.clusterconnect.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PatchesTest {

    @Test
    void mergePatchSetsReplacesAndRemovesWithNull() {
        JsonNode result = Patches.mergePatch(
                json("{\"a\":1,\"b\":{\"c\":2,\"d\":3},\"l\":[1,2]}"), json("{\"a\":null,\"b\":{\"c\":5},\"l\":[3]}"));
        assertEquals(json("{\"b\":{\"c\":5,\"d\":3},\"l\":[3]}"), result);
    }

    @Test
    void strategicMergePatchMergesListsByNameAndDropsDirectives() {
        JsonNode target = json("{\"containers\":[{\"name\":\"a\",\"image\":\"x:1\",\"ports\":[{\"containerPort\":80}]},"
                + "{\"name\":\"b\",\"image\":\"y:1\"}]}");
        JsonNode patch = json("{\"$setElementOrder/containers\":[{\"name\":\"a\"}],"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"x:2\"},{\"name\":\"b\",\"$patch\":\"delete\"}]}");
        assertEquals(
                json("{\"containers\":[{\"name\":\"a\",\"image\":\"x:2\",\"ports\":[{\"containerPort\":80}]}]}"),
                Patches.strategicMergePatch(target, patch));
    }

    @Test
    void jsonPatchAppliesEveryOperation() {
        JsonNode result = JsonPatch.apply(
                Json.parseObject("{\"a\":{\"b\":1},\"l\":[1,3]}".getBytes()),
                json(
                        "[{\"op\":\"add\",\"path\":\"/l/1\",\"value\":2},{\"op\":\"replace\",\"path\":\"/a/b\",\"value\":9},"
                                + "{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"},{\"op\":\"move\",\"from\":\"/c/b\",\"path\":\"/d\"},"
                                + "{\"op\":\"test\",\"path\":\"/d\",\"value\":9},{\"op\":\"remove\",\"path\":\"/l/0\"}]"));
        assertEquals(json("{\"a\":{\"b\":9},\"l\":[2,3],\"c\":{},\"d\":9}"), result);
    }

    @Test
    void jsonPatchOnAMissingPathIsInvalid() {
        assertEquals(
                422,
                assertThrows(
                                ApiException.class,
                                () -> JsonPatch.apply(Json.object(), json("[{\"op\":\"remove\",\"path\":\"/nope\"}]")))
                        .code());
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
