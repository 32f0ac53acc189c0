package dev.clusterconnect.routes.tunnel;

/** A frame whose payload does not parse; the receiver resets that stream only. */
public final class MalformedFrameException extends Exception {

    public MalformedFrameException(String message) {
        super(message, null, false, false);
    }
}
