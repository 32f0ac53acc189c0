package dev.clusterconnect.routes.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Any claim set an issuer we trust could sign, through the claim mapper of each preset and of a
 * prefixed mapping, with and without system identities allowed. The input's first byte picks the
 * mapping, the rest is the claims' JSON. Whatever the claims, the mapper returns an identity or
 * refuses with a typed reason; an identity holds exactly what the claims said (prefixes added,
 * nothing trimmed, dropped or invented), every value survives the trip through an impersonation
 * header, and a {@code system:} name comes out only when allowed. A refusal never quotes a value.
 * The corpus is in {@code ClaimMapperFuzzTestInputs/}; {@code bin/fuzz --only claims} looks for more.
 */
class ClaimMapperFuzzTest {

    private static final List<ClaimMapping> MAPPINGS = List.of(
            IssuerPreset.ENTRA_V2.mapping(),
            IssuerPreset.KEYCLOAK.mapping(),
            IssuerPreset.GOOGLE.mapping(),
            new ClaimMapping("email", "oidc:", "groups", "oidc:", null, List.of("tid", "Roles", "amr", "acr")));

    @FuzzTest(maxDuration = "10m")
    void anyClaimsMapToAFaithfulSendableIdentityOrATypedRefusal(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ClaimMapping mapping = MAPPINGS.get((input[0] & 0xFF) % MAPPINGS.size());
        boolean allowSystem = ((input[0] & 0xFF) / MAPPINGS.size()) % 2 == 1;
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(new String(input, 1, input.length - 1, StandardCharsets.UTF_8));
        } catch (java.text.ParseException notAClaimSet) {
            return; // nimbus refuses it before any mapper sees it
        }
        KubeIdentity identity;
        try {
            identity = new ClaimMapper(mapping, allowSystem).map(claims);
        } catch (ClaimRejection refused) {
            Authentication.Refused typed = refused.toRefused();
            assertThat(typed.reason()).isNotNull();
            assertThat(typed.reason().httpStatus()).isIn(401, 403);
            assertQuotesNoValue(refused.getMessage(), claims, mapping);
            return;
        }
        assertFaithful(identity, claims, mapping);
        assertSendable(identity);
        if (!allowSystem) {
            assertThat(identity.user().toLowerCase(Locale.ROOT)).doesNotStartWith("system:");
            assertThat(identity.groups())
                    .noneMatch(group -> group.toLowerCase(Locale.ROOT).startsWith("system:"));
        }
    }

    private static void assertFaithful(KubeIdentity identity, JWTClaimsSet claims, ClaimMapping mapping) {
        assertThat(identity.user()).isEqualTo(mapping.usernamePrefix() + claims.getClaim(mapping.usernameClaim()));
        if (mapping.uidClaim() == null) {
            assertThat(identity.uid()).isNull();
        } else {
            assertThat(identity.uid()).isEqualTo(claims.getClaim(mapping.uidClaim()));
        }
        Set<String> groups = new LinkedHashSet<>();
        if (mapping.groupsClaim() != null) {
            for (Object group : asList(claims.getClaim(mapping.groupsClaim()))) {
                groups.add(mapping.groupsPrefix() + group);
            }
        }
        assertThat(identity.groups()).containsExactlyElementsOf(groups);
        for (String claim : mapping.extraClaims()) {
            List<String> expected =
                    asList(claims.getClaim(claim)).stream().map(String::valueOf).toList();
            List<String> actual = identity.extra().get(claim.toLowerCase(Locale.ROOT));
            if (expected.isEmpty()) {
                assertThat(actual).isNull();
            } else {
                assertThat(actual).as("extra %s", claim).isEqualTo(expected);
            }
        }
    }

    /** Every value leaves as its UTF-8 bytes and arrives as it was: nothing a parser trims or splits on. */
    private static void assertSendable(KubeIdentity identity) {
        List<String> values = new ArrayList<>();
        values.add(identity.user());
        values.addAll(identity.groups());
        if (identity.uid() != null) {
            values.add(identity.uid());
        }
        identity.extra().values().forEach(values::addAll);
        for (ImpersonationHeaders.Header header : ImpersonationHeaders.of(identity)) {
            String wire = header.value();
            assertThat(wire.chars().allMatch(c -> c <= 0xFF && c >= 0x20 && c != 0x7F))
                    .as("header byte range")
                    .isTrue();
            assertThat(wire)
                    .doesNotStartWith(" ")
                    .doesNotStartWith("\t")
                    .doesNotEndWith(" ")
                    .doesNotEndWith("\t");
            String arrived = new String(wire.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            assertThat(values).contains(arrived);
            assertThat(header.name().chars().allMatch(c -> c > ' ' && c < 0x7F))
                    .as("header name %s", header.name())
                    .isTrue();
        }
        assertThat(identity.user()).isNotBlank();
    }

    /** A refusal names claims and rules: no value (any of 12 or more characters) of the claims shows up in it. */
    private static void assertQuotesNoValue(String message, JWTClaimsSet claims, ClaimMapping mapping) {
        String withoutNames = message;
        for (String name : claimNames(mapping)) {
            withoutNames = withoutNames.replace("'" + name + "'", "''");
        }
        for (Object value : claims.getClaims().values()) {
            for (Object item : asList(value)) {
                String text = String.valueOf(item);
                if (text.length() >= 12 && !isPlainWords(text)) {
                    assertThat(withoutNames)
                            .as("refusal message quotes a value")
                            .doesNotContain(text);
                }
            }
        }
    }

    private static List<String> claimNames(ClaimMapping mapping) {
        List<String> names =
                new ArrayList<>(Arrays.asList(mapping.usernameClaim(), mapping.groupsClaim(), mapping.uidClaim()));
        names.addAll(mapping.extraClaims());
        names.removeIf(java.util.Objects::isNull);
        return names;
    }

    /** Words and blanks alone could be part of a refusal's own sentence. */
    private static boolean isPlainWords(String text) {
        return text.chars()
                .allMatch(c -> Character.isLetter(c)
                        || c == ' '
                        || c == '\''
                        || c == '-'
                        || c == ';'
                        || c == ','
                        || c == '('
                        || c == ')');
    }

    private static List<?> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? list : value instanceof Map<?, ?> ? List.of(value) : List.of(value);
    }
}
