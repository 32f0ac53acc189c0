package dev.clusterconnect.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row the embedded store committed must survive kill -9 of the relay the moment after: the
 * relay answered 201 for it. H2's default WRITE_DELAY keeps commits in memory for up to a second;
 * the chaos tests (ProcessKillChaosTest, the relay killed right after a grant) lost the grant
 * that way. The store therefore writes every commit through before it returns.
 */
class EmbeddedStoreDurabilityTest {

    @Test
    void theEmbeddedStoreWritesEachCommitThroughBeforeItReturns(@TempDir Path dir) throws Exception {
        try (RelayDatabase database = RelayDatabase.openEmbedded(dir);
                Connection connection = database.dedicatedConnection();
                ResultSet setting = connection
                        .createStatement()
                        .executeQuery(
                                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(setting.next()).isTrue();
            assertThat(setting.getString(1))
                    .as("milliseconds a commit may wait before it reaches the file")
                    .isEqualTo("0");
        }
    }
}
