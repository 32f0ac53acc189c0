package dev.clusterconnect.sandbox.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SelectorsTest {

    private final ObjectNode pod = pod();

    @Test
    void equalityAndInequalityMatchLabelValues() {
        assertTrue(Selectors.labels("app=web").test(pod));
        assertTrue(Selectors.labels("app==web,tier!=db").test(pod));
        assertFalse(Selectors.labels("app=db").test(pod));
    }

    @Test
    void setBasedRequirementsMatchMembershipAndExistence() {
        assertTrue(Selectors.labels("tier in (front, back)").test(pod));
        assertFalse(Selectors.labels("tier notin (front)").test(pod));
        assertTrue(Selectors.labels("app,!missing").test(pod));
        assertFalse(Selectors.labels("missing").test(pod));
    }

    @Test
    void fieldSelectorsReadDottedPaths() {
        assertTrue(Selectors.fields("metadata.name=p,status.phase=Running").test(pod));
        assertFalse(Selectors.fields("metadata.name!=p").test(pod));
    }

    @Test
    void blankSelectorsMatchEverythingAndGarbageIsABadRequest() {
        assertTrue(Selectors.labels("").test(pod));
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> Selectors.labels("a b c"))
                        .code());
    }

    private static ObjectNode pod() {
        ObjectNode pod = Json.object();
        pod.putObject("metadata")
                .put("name", "p")
                .putObject("labels")
                .put("app", "web")
                .put("tier", "front");
        pod.putObject("status").put("phase", "Running");
        return pod;
    }
}
