package dev.clusterconnect.routes.component.kubeclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connections stay with the event loop of the caller that asked for them. */
class ConnectionPoolTest {

    private final EventLoopGroup callers = new NioEventLoopGroup(2);
    private final EventLoopGroup own = new NioEventLoopGroup(1);
    private final List<Socket> accepted = new ArrayList<>();
    private ServerSocket upstream;
    private ConnectionPool pool;

    @BeforeEach
    void listen() throws IOException {
        upstream = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(upstream.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        pool = new ConnectionPool(new Upstream("127.0.0.1", upstream.getLocalPort(), null, ""), own, 5_000);
    }

    @AfterEach
    void stop() throws IOException {
        pool.close();
        upstream.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        callers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        own.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aCallerOnAnEventLoopGetsAConnectionOnThatLoopAndGetsItBack() {
        EventLoop first = callers.next();
        EventLoop second = callers.next();

        Channel onFirst = pool.acquire(first).syncUninterruptibly().channel();
        assertSame(first, onFirst.eventLoop());
        pool.release(onFirst);

        Channel onSecond = pool.acquire(second).syncUninterruptibly().channel();
        assertSame(second, onSecond.eventLoop(), "a connection of another loop is not handed over");
        assertNotSame(onFirst, onSecond);
        assertSame(
                onFirst,
                pool.acquire(first).syncUninterruptibly().channel(),
                "the idle connection of the caller's loop is reused");
        pool.release(onSecond);
        assertEquals(1, pool.idleConnections());
    }

    @Test
    void aCallerOffAnyLoopUsesThePoolsOwnThreads() {
        Channel channel = pool.acquire(null).syncUninterruptibly().channel();
        assertSame(own.next(), channel.eventLoop());
        pool.release(channel);

        assertSame(channel, pool.acquire(null).syncUninterruptibly().channel());
    }
}
