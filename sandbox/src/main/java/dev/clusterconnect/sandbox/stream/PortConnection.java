package dev.clusterconnect.sandbox.stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The pod side of one forwarded connection: the echo service or a TCP connection, on the caller's event loop. */
abstract class PortConnection {

    /** Receives what the pod port sends; called on the event loop. */
    interface Peer {
        /** Bytes from the pod port (ownership passes to the peer). */
        void data(ByteBuf data);

        /** The pod port could not be reached. */
        void failed(String reason);

        /** The pod port closed the connection. */
        void ended();
    }

    /** Bytes from the client (ownership passes here); {@code last} when the client finished sending. */
    abstract void write(ByteBuf data, boolean last);

    /** Drops the connection. */
    abstract void close();

    static PortConnection open(EventLoop loop, Optional<InetSocketAddress> target, Peer peer) {
        return target.<PortConnection>map(address -> new Tcp(loop, address, peer))
                .orElseGet(() -> new Echo(peer));
    }

    /** Sends every byte back, and ends when the client does. */
    private static final class Echo extends PortConnection {
        private final Peer peer;

        Echo(Peer peer) {
            this.peer = peer;
        }

        @Override
        void write(ByteBuf data, boolean last) {
            if (data.isReadable()) {
                peer.data(data);
            } else {
                data.release();
            }
            if (last) {
                peer.ended();
            }
        }

        @Override
        void close() {}
    }

    /** A TCP connection to a local port standing in for the pod's. */
    private static final class Tcp extends PortConnection {
        private final ChannelFuture connected;

        Tcp(EventLoop loop, InetSocketAddress address, Peer peer) {
            connected = new Bootstrap()
                    .group(loop)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            peer.data((ByteBuf) msg);
                        }

                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                            if (event instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                                ctx.close();
                            }
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            peer.ended();
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close();
                        }
                    })
                    .connect(address);
            connected.addListener(f -> {
                if (!f.isSuccess()) {
                    peer.failed("dial tcp " + address.getHostString() + ":" + address.getPort() + ": connect: "
                            + f.cause().getMessage());
                }
            });
        }

        @Override
        void write(ByteBuf data, boolean last) {
            connected.addListener(f -> {
                Channel channel = connected.channel();
                if (!f.isSuccess()) {
                    data.release();
                    return;
                }
                channel.writeAndFlush(data);
                if (last && channel instanceof SocketChannel socket) {
                    socket.shutdownOutput();
                }
            });
        }

        @Override
        void close() {
            connected.addListener(f -> connected.channel().close());
        }
    }
}
