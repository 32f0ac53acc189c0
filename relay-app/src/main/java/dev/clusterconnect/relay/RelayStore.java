package dev.clusterconnect.relay;

import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.config.Secrets;
import dev.clusterconnect.routes.config.Settings;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Opens the relay's database from {@code relay.db.*} and closes it when Camel stops, after the
 * routes that use it.
 */
final class RelayStore extends ServiceSupport {

    private final RelayDatabase database;

    private RelayStore(RelayDatabase database) {
        this.database = database;
    }

    /** Reads the keys (reporting problems to {@code settings}); {@link #open} connects. */
    record Config(String url, String username, Optional<Path> passwordFile, Path dir) {

        static Config from(Settings settings) {
            return new Config(settings.get("relay.db.url", ""), settings.get("relay.db.username", ""),
                    settings.file("relay.db.password-file"), Path.of(settings.get("relay.db.dir", "./relay-data")));
        }

        RelayStore open() {
            if (url.isEmpty()) {
                return new RelayStore(RelayDatabase.openEmbedded(dir));
            }
            String password = passwordFile.map(file -> Secrets.fromFile(file).get()).orElse("");
            return new RelayStore(RelayDatabase.open(url, username, password));
        }
    }

    RelayDatabase database() {
        return database;
    }

    @Override
    protected void doStart() {
        // Tunnels do not survive a restart: any "connected" in the store is stale.
        database.clusters().markAllDisconnected();
    }

    @Override
    protected void doStop() {
        database.close();
    }
}
