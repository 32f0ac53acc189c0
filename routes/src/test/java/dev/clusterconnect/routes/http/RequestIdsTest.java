package dev.clusterconnect.routes.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0123abcd", "0123456789abcdef", "0123456789abcdef0123456789abcdef"})
    void adoptsAnIdOfEightToThirtyTwoLowercaseHexCharacters(String received) {
        assertThat(RequestIds.adoptOrGenerate(received)).isEqualTo(received);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "abc1234",
                "0123456789ABCDEF",
                "0123456789abcdef0123456789abcdef0",
                "abcdef12\nINFO fake",
                "abcdefgh",
                "abcd-1234-ef56"
            })
    void replacesAnyOtherIdWithAFreshOne(String received) {
        String adopted = RequestIds.adoptOrGenerate(received);
        assertThat(adopted).isNotEqualTo(received).matches("[0-9a-f]{16}");
    }

    @Test
    void generatesWhenNoIdWasSent() {
        assertThat(RequestIds.adoptOrGenerate(null)).matches("[0-9a-f]{16}");
    }
}
