package dev.clusterconnect.relay;

import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.config.Secrets;
import dev.clusterconnect.routes.config.Settings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens the relay's database from {@code relay.db.*}: PostgreSQL (or any JDBC URL the store
 * accepts) when {@code relay.db.url} is set, else the embedded H2 file in {@code relay.db.dir}.
 */
public final class RelayStoreConfig {

    static final String DEFAULT_DIR = "./relay-data";

    private RelayStoreConfig() {}

    /**
     * Opens and migrates the database and marks disconnected every cluster that no live relay
     * replica holds (tunnels do not survive a restart; other replicas' do). Call after {@link Settings#validate}: a bad URL or an unreachable
     * database fails start-up here, with the store's message (which never holds the password).
     */
    public static RelayDatabase open(Settings settings) {
        Optional<String> url = settings.optional("relay.db.url");
        RelayDatabase database;
        if (url.isPresent()) {
            String password = settings.optional("relay.db.password-file")
                    .map(file -> Secrets.fromFile(Path.of(file)).get())
                    .orElse(null);
            database = RelayDatabase.open(url.get(), settings.get("relay.db.username", ""), password);
        } else {
            database = RelayDatabase.openEmbedded(Path.of(settings.get("relay.db.dir", DEFAULT_DIR)));
        }
        database.clusters().markOrphansDisconnected();
        return database;
    }

    /** Checks the keys without opening anything, so their problems are reported with the others. */
    static void check(Settings settings) {
        settings.file("relay.db.password-file");
        settings.optional("relay.db.url")
                .filter(url -> !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:"))
                .ifPresent(url -> settings.problem("relay.db.url must be a jdbc:postgresql: or jdbc:h2: URL"));
    }
}
