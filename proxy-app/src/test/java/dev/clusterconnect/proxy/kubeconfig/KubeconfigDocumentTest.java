package dev.clusterconnect.proxy.kubeconfig;

import static dev.clusterconnect.proxy.kubeconfig.KubeconfigDocument.CLUSTERS;
import static dev.clusterconnect.proxy.kubeconfig.KubeconfigDocument.CONTEXTS;
import static dev.clusterconnect.proxy.kubeconfig.KubeconfigDocument.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class KubeconfigDocumentTest {

    private static final KubeconfigEntry PROD = Fixtures.entry("prod", 40001);

    @Test
    void mergingThenRemovingRestoresTheOriginalTextExactly() {
        String original = Fixtures.existing();

        String merged = merge(KubeconfigDocument.parse(original), PROD).text();
        KubeconfigDocument restored = KubeconfigDocument.parse(merged)
                .withoutItem(CONTEXTS, PROD.name())
                .withoutItem(USERS, PROD.name())
                .withoutItem(CLUSTERS, PROD.name())
                .withCurrentContext("kind-dev");

        assertEquals(original, restored.text());
    }

    @Test
    void mergeAppendsEntriesAfterTheExistingOnesAndKeepsComments() {
        String merged =
                merge(KubeconfigDocument.parse(Fixtures.existing()), PROD).text();

        assertTrue(merged.startsWith("# Work clusters -- managed by hand, please keep this comment\n"));
        assertTrue(merged.contains("server: https://kind-control-plane:6443   # the kind cluster\n"));
        assertTrue(merged.contains("# staging is reached through the VPN\n"));
        assertTrue(merged.contains(Fixtures.STAGING_CONTEXT + "- context:\n    cluster: clusterconnect-prod\n"));
        assertTrue(
                merged.contains(Fixtures.STAGING_USER + "- name: clusterconnect-prod\n  user:\n    token: tok-prod\n"));
        assertTrue(merged.contains("current-context: clusterconnect-prod\n"));
    }

    @Test
    void mergingAgainReplacesTheEntryInPlace() {
        KubeconfigDocument first = merge(KubeconfigDocument.parse(Fixtures.existing()), PROD);
        KubeconfigEntry moved = Fixtures.entry("prod", 40002);

        String second = merge(first, moved).text();

        assertEquals(first.text().replace("127.0.0.1:40001", "127.0.0.1:40002"), second);
        assertEquals(3, occurrences(second, "name: clusterconnect-prod\n"), "one cluster, user and context");
    }

    @Test
    void leavesCurrentContextAloneWhenNotAskedToSwitch() {
        KubeconfigDocument document = KubeconfigDocument.parse(Fixtures.existing())
                .withItem(CLUSTERS, PROD.clusterItem())
                .withItem(USERS, PROD.userItem())
                .withItem(CONTEXTS, PROD.contextItem());

        assertEquals("kind-dev", document.currentContext().orElseThrow());
        assertTrue(document.hasItem(CONTEXTS, PROD.name()));
    }

    @Test
    void emptyTextBecomesACompleteKubeconfig() {
        Map<String, Object> config =
                load(merge(KubeconfigDocument.parse(""), PROD).text());

        assertEquals("v1", config.get("apiVersion"));
        assertEquals("Config", config.get("kind"));
        assertEquals("clusterconnect-prod", config.get("current-context"));
        assertEquals(1, ((List<?>) config.get("clusters")).size());
        assertEquals(1, ((List<?>) config.get("users")).size());
    }

    @Test
    void fileOfOnlyCommentsKeepsThem() {
        String merged =
                merge(KubeconfigDocument.parse("# nothing here yet\n"), PROD).text();

        assertTrue(merged.startsWith("# nothing here yet\napiVersion: v1\n"));
        assertEquals("clusterconnect-prod", load(merged).get("current-context"));
    }

    @Test
    void nullAndFlowStyleSectionsBecomeBlockListsKeepingTheirItems() {
        String text = "apiVersion: v1\nclusters: [{name: a, cluster: {server: 'https://a'}}]\ncontexts:\n"
                + "users: null # none yet\nkind: Config\n";

        Map<String, Object> config =
                load(merge(KubeconfigDocument.parse(text), PROD).text());

        assertEquals(List.of("a", "clusterconnect-prod"), names(config, "clusters"));
        assertEquals(List.of("clusterconnect-prod"), names(config, "contexts"));
        assertEquals(List.of("clusterconnect-prod"), names(config, "users"));
        assertEquals("Config", config.get("kind"));
    }

    @Test
    void flowStyleDocumentIsRewrittenWithItsDataIntact() {
        String text = "{apiVersion: v1, kind: Config, clusters: [{name: a, cluster: {server: 'https://a'}}]}";

        Map<String, Object> config =
                load(merge(KubeconfigDocument.parse(text), PROD).text());

        assertEquals(List.of("a", "clusterconnect-prod"), names(config, "clusters"));
    }

    @Test
    void newItemsFollowTheIndentationOfTheExistingList() {
        String text = "apiVersion: v1\nclusters:\n  - name: a\n    cluster:\n      server: https://a\nkind: Config\n";

        String merged = KubeconfigDocument.parse(text)
                .withItem(CLUSTERS, PROD.clusterItem())
                .text();

        assertTrue(
                merged.contains("      server: https://a\n  - cluster:\n      certificate-authority-data: "), merged);
        assertEquals(List.of("a", "clusterconnect-prod"), names(load(merged), "clusters"));
    }

    @Test
    void windowsLineEndingsAreKept() {
        String text = Fixtures.existing().replace("\n", "\r\n");

        String merged = merge(KubeconfigDocument.parse(text), PROD).text();

        assertFalse(merged.replace("\r\n", "").contains("\n"), "a bare LF slipped in");
        assertEquals(List.of("kind-dev", "staging", "clusterconnect-prod"), names(load(merged), "contexts"));
    }

    @Test
    void nonAsciiTextBeforeAnEntryDoesNotShiftTheSplice() {
        String text =
                "# cluster \uD83D\uDE80 d\u00e9j\u00e0 vu\napiVersion: v1\ncontexts:\n- context:\n    cluster: a\n"
                        + "  name: clusterconnect-prod\n- context:\n    cluster: b\n  name: b\n";

        String merged = KubeconfigDocument.parse(text)
                .withItem(CONTEXTS, PROD.contextItem())
                .text();

        assertTrue(
                merged.startsWith("# cluster \uD83D\uDE80 d\u00e9j\u00e0 vu\napiVersion: v1\ncontexts:\n- context:\n"
                        + "    cluster: clusterconnect-prod\n    user: clusterconnect-prod\n  name: clusterconnect-prod\n"
                        + "- context:\n    cluster: b\n  name: b\n"),
                merged);
    }

    @Test
    void literalBlockInTheReplacedItemIsRemovedWhole() {
        String text = "users:\n- name: clusterconnect-prod\n  user:\n    token: |\n      old\n      lines\n\n"
                + "- name: other\n  user: {}\n";

        String merged =
                KubeconfigDocument.parse(text).withItem(USERS, PROD.userItem()).text();

        assertEquals(
                "users:\n- name: clusterconnect-prod\n  user:\n    token: tok-prod\n\n- name: other\n  user: {}\n",
                merged);
    }

    @Test
    void aSpliceThatWouldChangeAnotherValueGivesWayToARewriteFromTheData() {
        // Found by KubeconfigMergeFuzzTest: the section went in before the folded scalar's last,
        // more-indented blank line, which then no longer belonged to the value ("folded\n " became "folded").
        String text = "r:\n    token: >-\n      folded\n       \n";
        assertEquals(Map.of("token", "folded\n "), load(text).get("r"), "the input reads so");

        String merged =
                KubeconfigDocument.parse(text).withItem(USERS, PROD.userItem()).text();

        assertEquals(Map.of("token", "folded\n "), load(merged).get("r"));
        assertEquals(List.of(PROD.userItem()), load(merged).get(USERS));
    }

    @Test
    void aFileThatStartsWithTwoByteOrderMarksIsRefused() {
        KubeconfigFormatException refused = org.junit.jupiter.api.Assertions.assertThrows(
                KubeconfigFormatException.class,
                () -> KubeconfigDocument.parse("\uFEFF\uFEFF# note\r\napiVersion: v1\r\n"));
        assertTrue(refused.getMessage().contains("more than one byte order mark"), refused.getMessage());
        assertEquals(
                List.of(PROD.userItem()),
                load(KubeconfigDocument.parse("\uFEFF# note\r\napiVersion: v1\r\n")
                                .withItem(USERS, PROD.userItem())
                                .text()
                                .substring(1))
                        .get(USERS),
                "one is kept and written back");
    }

    @Test
    void aSpliceThatDoesNotParseGivesWayToARewriteFromTheData() {
        // Found by KubeconfigMergeFuzzTest: the new current context replaced the folded scalar's
        // text but not its end, and the next splice went onto the same line.
        String text = "current-context: >-\n  f\uFFFD? \n";

        KubeconfigDocument merged = KubeconfigDocument.parse(text)
                .withItem(USERS, PROD.userItem())
                .withCurrentContext("clusterconnect-prod");

        assertEquals("clusterconnect-prod", load(merged.text()).get("current-context"));
        assertEquals(List.of(PROD.userItem()), load(merged.text()).get(USERS));
    }

    @Test
    void removingTheOnlyItemLeavesALoadableDocument() {
        String text = "apiVersion: v1\ncontexts:\n- context:\n    cluster: a\n  name: a\nkind: Config\n";

        String removed =
                KubeconfigDocument.parse(text).withoutItem(CONTEXTS, "a").text();

        assertEquals("apiVersion: v1\ncontexts:\nkind: Config\n", removed);
    }

    @Test
    void currentContextThatNeedsQuotingIsQuoted() {
        String text = "apiVersion: v1\ncurrent-context:\nkind: Config\n";

        KubeconfigDocument document = KubeconfigDocument.parse(text).withCurrentContext("123");

        assertEquals("apiVersion: v1\ncurrent-context: \"123\"\nkind: Config\n", document.text());
        assertEquals("123", document.currentContext().orElseThrow());
        assertTrue(document.withCurrentContext(null).currentContext().isEmpty());
    }

    static KubeconfigDocument merge(KubeconfigDocument document, KubeconfigEntry entry) {
        return document.withItem(CLUSTERS, entry.clusterItem())
                .withItem(USERS, entry.userItem())
                .withItem(CONTEXTS, entry.contextItem())
                .withCurrentContext(entry.name());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    static List<Object> names(Map<String, Object> config, String section) {
        return ((List<?>) config.get(section))
                .stream().map(item -> (Object) ((Map<?, ?>) item).get("name")).toList();
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
