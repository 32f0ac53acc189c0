package dev.clusterconnect.routes.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.http.HttpReply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusReplyTest {

    @Test
    void aRefusalCarriesItsStatusAndTheSameMessageAsAWarning() {
        HttpReply reply = StatusReply.of(new KubeStatusException(403, "user bob may not reach cluster c1"));
        assertThat(reply.head().status()).isEqualTo(403);
        assertThat(reply.head().headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(reply.head().headers().get("Warning")).isEqualTo("299 - \"user bob may not reach cluster c1\"");
    }

    @Test
    void theWarningIsAQuotedStringWithoutControlCharacters() {
        assertThat(StatusReply.warning("say \"no\" \\ twice\r\nInjected: header"))
                .isEqualTo("299 - \"say \\\"no\\\" \\\\ twice  Injected: header\"");
    }

    @Test
    void nonAsciiTravelsAsItsUtf8BytesOnePerCharacter() {
        String onTheWire = StatusReply.warning("user alíce");
        byte[] bytes = onTheWire.getBytes(StandardCharsets.ISO_8859_1); // what Netty writes
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("299 - \"user alíce\"");
    }

    @Test
    void aLongMessageIsCut() {
        assertThat(StatusReply.warning("x".repeat(2000))).hasSize(512 + "299 - \"...\"".length());
    }
}
