package dev.clusterconnect.proxy.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheJsonTest {

    @Test
    void quotedStringsReadBackWhateverTheyHold() {
        String awkward = "a \"b\" \\c\n\t\u0001 é ✓ /";

        assertEquals(awkward, CacheJson.parse(CacheJson.quote(awkward)));
    }

    @Test
    void readsWhatJacksonWrites() throws Exception {
        Map<String, Object> document = Map.of("a", List.of("x\u0000y", "é\n"), "b", Map.of("c", "\"d\""));

        assertEquals(document, CacheJson.parse(new ObjectMapper().writeValueAsString(document)));
    }

    @Test
    void refusesWhatTheCacheNeverHolds() {
        for (String text : List.of(
                "",
                "1",
                "true",
                "null",
                "{\"a\":1}",
                "{\"a\":\"b\"",
                "{\"a\":\"b\"}x",
                "[\"a\",]",
                "{\"a\":\"b\",\"a\":\"c\"}",
                "\"\\x\"",
                "\"\\u12\"",
                "\"raw\nnewline\"")) {
            assertThrows(IllegalArgumentException.class, () -> CacheJson.parse(text), text);
        }
    }
}
