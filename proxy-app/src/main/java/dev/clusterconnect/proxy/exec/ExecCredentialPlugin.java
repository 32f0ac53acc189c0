package dev.clusterconnect.proxy.exec;

import dev.clusterconnect.proxy.token.Token;
import dev.clusterconnect.proxy.token.TokenSource;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the CLI does when kubectl runs it as a credential plugin: print an
 * {@link ExecCredential} for a cached token if one is still good, else for a new token from the
 * source (which may prompt on standard error), caching it for the next invocation.
 */
public final class ExecCredentialPlugin {

    private final TokenSource source;
    private final ExecCredentialCache cache;
    private final List<String> key;

    /**
     * @param source where new tokens come from
     * @param cache  where the last token is kept between kubectl invocations
     * @param key    the plugin's arguments, which the cached token must have been printed for
     */
    public ExecCredentialPlugin(TokenSource source, ExecCredentialCache cache, List<String> key) {
        this.source = Objects.requireNonNull(source, "source");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.key = List.copyOf(key);
    }

    /**
     * @return the ExecCredential JSON
     * @throws dev.clusterconnect.proxy.token.TokenException if no token can be had
     */
    public String credentialJson() {
        Optional<String> cached = cache.read(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Token fresh = source.token();
        return cache.write(key, fresh);
    }

    /** Prints {@link #credentialJson()} as the single line kubectl reads from standard output. */
    public void printTo(PrintStream stdout) {
        stdout.println(credentialJson());
        stdout.flush();
    }
}
