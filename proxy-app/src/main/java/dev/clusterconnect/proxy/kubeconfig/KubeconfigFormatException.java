package dev.clusterconnect.proxy.kubeconfig;

/**
 * A kubeconfig this CLI will not edit: not YAML, not a mapping at the top, or YAML whose data
 * could be read two ways. The file is left as it was; the message says why, never what it holds
 * beyond a position (the file carries credentials).
 */
public final class KubeconfigFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    KubeconfigFormatException(String message) {
        super(message);
    }

    KubeconfigFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
