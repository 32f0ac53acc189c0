package dev.clusterconnect.proxy.token;

/**
 * Where the proxy gets the bearer token it presents for the user. Implementations may block
 * (run a command, poll an identity provider); wrap them in a {@link CachingTokenSource} to ask
 * for a token on every request.
 */
@FunctionalInterface
public interface TokenSource {

    /**
     * @return a token believed to be valid now
     * @throws TokenException if no token can be had; the message is safe to show and never
     *                        contains a token
     */
    Token token();

    /**
     * A token believed valid now that can be had without waiting (no I/O), if there is one: what
     * a caller on an event loop may ask for. Empty means "ask {@link #token()}, off the loop".
     */
    default java.util.Optional<Token> tokenAtHand() {
        return java.util.Optional.empty();
    }
}
