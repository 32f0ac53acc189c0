package dev.clusterconnect.routes.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test (or its class, for calls made while starting or stopping shared servers) during which
 * something blocked on a Netty event loop. Registered for every test by JUnit's extension
 * auto-detection (junit-platform.properties).
 */
public final class NoBlockingOnEventLoops implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        EventLoopBlockingCalls.drain();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check();
    }

    private static void check() {
        List<String> calls = EventLoopBlockingCalls.drain();
        assertThat(calls).as("blocking calls on a Netty event loop").isEmpty();
    }
}
