package dev.clusterconnect.routes.yaml;

/** A route file the app cannot use: it names the file and, where known, the line. Start-up stops. */
public final class RouteFileException extends RuntimeException {

    public RouteFileException(String message) {
        super(message);
    }

    public RouteFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
