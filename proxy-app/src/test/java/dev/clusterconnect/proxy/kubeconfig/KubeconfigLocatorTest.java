package dev.clusterconnect.proxy.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KubeconfigLocatorTest {

    private static final Path HOME = Path.of("/home/alice");

    @Test
    void explicitFileWins() {
        assertEquals(Path.of("/tmp/x"), KubeconfigLocator.locate(Path.of("/tmp/x"), "/a:/b", HOME));
    }

    @Test
    void firstNonEmptyEntryOfKubeconfigVariableIsUsed() {
        assertEquals(Path.of("/a"), KubeconfigLocator.locate(null, ":/a:/b", HOME));
    }

    @Test
    void homeDefaultIsUsedWhenNothingElseIsSet() {
        assertEquals(HOME.resolve(".kube/config"), KubeconfigLocator.locate(null, null, HOME));
        assertEquals(HOME.resolve(".kube/config"), KubeconfigLocator.locate(null, "", HOME));
    }
}
