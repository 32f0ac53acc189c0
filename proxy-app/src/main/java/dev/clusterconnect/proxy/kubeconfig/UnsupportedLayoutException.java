package dev.clusterconnect.proxy.kubeconfig;

/**
 * The kubeconfig is valid YAML but laid out in a way the text-preserving editor does not splice
 * (flow-style root, items that do not start their line); the caller falls back to rewriting.
 */
final class UnsupportedLayoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnsupportedLayoutException(String message) {
        super(message);
    }
}
