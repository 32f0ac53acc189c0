package dev.clusterconnect.agent;

/**
 * Whether the apiserver answers ({@code /version}), asked at most every few seconds however often
 * the kubelet probes.
 */
final class ApiserverProbe {

    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final ApiserverClient apiserver;
    private volatile long checkedAt;
    private volatile boolean answers;

    ApiserverProbe(ApiserverClient apiserver) {
        this.apiserver = apiserver;
    }

    boolean answers() {
        long now = System.nanoTime();
        if (checkedAt == 0 || now - checkedAt > MAX_AGE_NANOS) {
            answers = apiserver.kubernetesVersion().isPresent();
            checkedAt = now;
        }
        return answers;
    }
}
