package dev.clusterconnect.proxy.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertEquals("clusterconnect-prod", new KubeconfigFile(file).read().currentContext().orElseThrow());
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
        for (String section : List.of(KubeconfigDocument.CLUSTERS, KubeconfigDocument.USERS, KubeconfigDocument.CONTEXTS)) {
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
}
