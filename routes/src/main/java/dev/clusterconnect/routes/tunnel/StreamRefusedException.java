package dev.clusterconnect.routes.tunnel;

/** A stream could not be opened: the session is draining or closed, or the head is too large. */
public final class StreamRefusedException extends Exception {

    private final boolean tooLarge;

    public StreamRefusedException(boolean tooLarge, String message) {
        super(message, null, false, false);
        this.tooLarge = tooLarge;
    }

    public boolean isTooLarge() {
        return tooLarge;
    }
}
