package dev.clusterconnect.proxy.token;

import java.time.Duration;

/** Waits between polls of an identity provider; tests substitute one that records the waits. */
@FunctionalInterface
public interface Sleeper {

    /** The real thing. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /**
     * @param duration how long to wait
     * @throws InterruptedException if the wait was interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
}
