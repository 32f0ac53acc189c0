package dev.clusterconnect.routes.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;

/** The guard itself: a blocking call on an event loop is refused and recorded; elsewhere it is not. */
class BlockHoundIsWatchingTest {

    @Test
    void aBlockingCallOnAnEventLoopIsRefusedAndRecorded() throws Exception {
        NioEventLoopGroup loops = new NioEventLoopGroup(1);
        try {
            var blocked = loops.submit(() -> {
                Thread.sleep(0); // the probe: any blocking JDK call would do
                return null;
            });
            assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(BlockingOperationError.class);
            assertThat(EventLoopBlockingCalls.drain())
                    .singleElement()
                    .asString()
                    .contains("java.lang.Thread.sleep");
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    @Test
    void theSameCallOffTheLoopsIsAllowed() throws Exception {
        Thread.sleep(0);
        assertThat(EventLoopBlockingCalls.drain()).isEmpty();
    }

    @Test
    void secureRandomBytesOnAnEventLoopAreAllowed() throws Exception {
        NioEventLoopGroup loops = new NioEventLoopGroup(1);
        try {
            // Enough bytes that the JDK's NativePRNG refills its buffer from /dev/urandom; its
            // first use mixes in a seed read the same way.
            loops.submit(() -> {
                        java.security.SecureRandom random = new java.security.SecureRandom();
                        for (int i = 0; i < 64; i++) {
                            random.nextBytes(new byte[4096]);
                        }
                        java.util.UUID.randomUUID();
                        return null;
                    })
                    .get(10, TimeUnit.SECONDS);
            assertThat(EventLoopBlockingCalls.drain()).isEmpty();
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }
}
