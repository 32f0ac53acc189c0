package dev.clusterconnect.proxy.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigFileTest {

    @TempDir
    Path dir;

    @Test
    void mergeCreatesTheDirectoryAndAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("missing/.kube/config");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(
                "clusterconnect-prod",
                new KubeconfigFile(file).read().currentContext().orElseThrow());
    }

    @Test
    void mergeTightensAWorldReadableFileAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, Fixtures.existing());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void emptyFileIsTreatedAsAnEmptyKubeconfig() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, "");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), false);

        Map<String, Object> config = KubeconfigDocumentTest.load(Files.readString(file));
        assertEquals(List.of("clusterconnect-prod"), KubeconfigDocumentTest.names(config, "contexts"));
        assertFalse(config.containsKey("current-context"));
    }

    @Test
    void symbolicLinkStaysALinkToTheEditedFile() throws Exception {
        Path real = dir.resolve("dotfiles/kubeconfig");
        Files.createDirectories(real.getParent());
        Files.writeString(real, Fixtures.existing());
        Path link = Files.createSymbolicLink(dir.resolve("config"), real);

        new KubeconfigFile(link).merge(Fixtures.entry("prod", 1), true);

        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(real).contains("name: clusterconnect-prod"));
    }

    @Test
    void removeDropsAllThreeEntriesAndClearsTheCurrentContext() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, Fixtures.existing());
        KubeconfigFile kubeconfig = new KubeconfigFile(file);
        kubeconfig.merge(Fixtures.entry("prod", 1), true);

        assertTrue(kubeconfig.remove("clusterconnect-prod"));

        KubeconfigDocument document = kubeconfig.read();
        assertTrue(document.currentContext().isEmpty());
        for (String section :
                List.of(KubeconfigDocument.CLUSTERS, KubeconfigDocument.USERS, KubeconfigDocument.CONTEXTS)) {
            assertFalse(document.hasItem(section, "clusterconnect-prod"), section);
        }
        assertTrue(document.hasItem(KubeconfigDocument.CONTEXTS, "staging"));
    }

    @Test
    void removingFromAMissingFileDoesNotCreateIt() throws Exception {
        Path file = dir.resolve("config");

        assertFalse(new KubeconfigFile(file).remove("clusterconnect-prod"));

        assertFalse(Files.exists(file));
    }
    // Found by KubeconfigMergeFuzzTest (docs/fuzzing.md): each file below was merged into before.

    @Test
    void aFileWithAnAliasIsRefusedWithItsPathAndLeftUnchanged() throws Exception {
        Path file = dir.resolve("config");
        String aliased =
                "x-shared: &list\n- name: a\n  cluster: {server: https://a}\napiVersion: v1\nclusters: *list\nkind: Config\n";
        Files.writeString(file, aliased);

        KubeconfigFormatException refused = assertThrows(
                KubeconfigFormatException.class, () -> new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true));

        assertTrue(refused.getMessage().startsWith(file + " is left unchanged: "), refused.getMessage());
        assertTrue(refused.getMessage().contains("anchors or aliases"), refused.getMessage());
        assertEquals(aliased, Files.readString(file));
    }

    @Test
    void aFileWithAKeyTwiceIsRefusedNamingTheLineButNotItsContent() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(
                file, "apiVersion: v1\nusers:\n- name: a\n  user: {token: s3cret}\nusers: []\nkind: Config\n");

        KubeconfigFormatException refused = assertThrows(
                KubeconfigFormatException.class, () -> new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true));

        assertTrue(refused.getMessage().contains("duplicate key users"), refused.getMessage());
        assertTrue(refused.getMessage().contains("line 5"), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    @Test
    void ourEntryListedTwiceIsReplacedByOne() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(
                file,
                "apiVersion: v1\nkind: Config\nusers:\n- name: clusterconnect-prod\n  user: {token: a}\n"
                        + "- name: x\n  user: {token: b}\n- name: clusterconnect-prod\n  user: {token: c}\n");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), false);

        Map<String, Object> config = KubeconfigDocumentTest.load(Files.readString(file));
        assertEquals(List.of("x", "clusterconnect-prod"), KubeconfigDocumentTest.names(config, "users"));
    }

    @Test
    void aCurrentContextHoldingAMappingIsReplacedWhole() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, "apiVersion: v1\ncurrent-context:\n  a: b\nkind: Config\n");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true);

        Map<String, Object> config = KubeconfigDocumentTest.load(Files.readString(file));
        assertEquals("clusterconnect-prod", config.get("current-context"));
        assertEquals("Config", config.get("kind"));
    }

    @Test
    void aNameWithACharacterYamlReadsAsALineBreakSurvivesSoASecondMergeReplacesIt() throws Exception {
        Path file = dir.resolve("config");
        KubeconfigEntry entry = Fixtures.entry("prod\u0085\u2028", 1);

        new KubeconfigFile(file).merge(entry, true);
        new KubeconfigFile(file).merge(entry, true);

        Map<String, Object> config = KubeconfigDocumentTest.load(Files.readString(file));
        assertEquals(List.of("clusterconnect-prod\u0085\u2028"), KubeconfigDocumentTest.names(config, "users"));
        assertEquals("clusterconnect-prod\u0085\u2028", config.get("current-context"));
    }

    @Test
    void aFileWithALoneCarriageReturnIsRefusedAndLeftUnchanged() throws Exception {
        Path file = dir.resolve("config");
        String text = "apiVersion: v1\r\nkind: Config\r\nusers:\r\n- name: a\r\n  user:\r\n    token: t\rx: y\r\n";
        Files.writeString(file, text);

        KubeconfigFormatException refused = assertThrows(
                KubeconfigFormatException.class, () -> new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true));

        assertTrue(refused.getMessage().contains("U+000D at line 6"), refused.getMessage());
        assertEquals(text, Files.readString(file));
    }

    @Test
    void aFileWhoseTopLevelIsIndentedIsRewrittenWithItsSettingsKept() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, "\n   apiVersion: v1\n   kind: Config\n   preferences: {colors: true}\n");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true);

        Map<String, Object> config = KubeconfigDocumentTest.load(Files.readString(file));
        assertEquals(List.of("clusterconnect-prod"), KubeconfigDocumentTest.names(config, "users"));
        assertEquals(Map.of("colors", true), config.get("preferences"));
    }

    @Test
    void aLastLineOfBlanksWithNoLineBreakKeepsTheBlockScalarItEnds() throws Exception {
        // Found by KubeconfigMergeFuzzTest: a section spliced in after that line turned its
        // blanks into an empty line, which the block scalar then dropped.
        Path file = dir.resolve("config");
        Files.writeString(file, "note: |\n  first\n     ");
        Object before = KubeconfigDocumentTest.load(Files.readString(file)).get("note");
        assertEquals("first\n   ", before, "the input reads so");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true);

        assertEquals(before, KubeconfigDocumentTest.load(Files.readString(file)).get("note"));
    }

    @Test
    void aBlockScalarOnTheLastLineWithNoLineBreakKeepsItsValue() throws Exception {
        // Found by KubeconfigMergeFuzzTest: a section spliced in after that line added a line
        // break to the end of the value, which clip chomping then kept.
        Path file = dir.resolve("config");
        Files.writeString(file, "# kept only if nothing is rewritten\nnote: |\n  first\n  last ");
        Object before = KubeconfigDocumentTest.load(Files.readString(file)).get("note");
        assertEquals("first\nlast ", before, "the input reads so");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true);

        assertEquals(before, KubeconfigDocumentTest.load(Files.readString(file)).get("note"));
    }

    @Test
    void aLastLineWithNoLineBreakAndNoBlockScalarIsStillSplicedSoCommentsStay() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, "# mine\napiVersion: v1\nkind: Config");

        new KubeconfigFile(file).merge(Fixtures.entry("prod", 1), true);

        String after = Files.readString(file);
        assertTrue(after.startsWith("# mine\napiVersion: v1\nkind: Config\n"), after);
    }
}
