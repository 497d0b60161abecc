package sparksgd.engine.gang;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's endpoint of the gang: a Netty server bound to the driver's address on a port chosen by
 * the OS. It only turns frames into {@link GangCoordinator} events and coordinator sends into frames;
 * every decision is the coordinator's. A peer must send a valid hello within the hello timeout and may
 * send only small frames until then.
 */
final class GangServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GangServer.class);
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final int port;
  private final TrafficCounter traffic = new TrafficCounter();
  private final SharedFrame frames = new SharedFrame();

  GangServer(String bindHost, GangCoordinator coordinator, Duration helloTimeout) {
    int threads = Math.max(1, Math.min(coordinator.partitions(), 4));
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spark-sgd-gang-accept", true),
        NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("spark-sgd-gang-io", true),
        NioIoHandler.newFactory());
    long helloMillis = helloTimeout.toMillis();
    try {
      ServerBootstrap b = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childOption(ChannelOption.RECVBUF_ALLOCATOR, GangCodec.receiveBuffers())
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              GangCodec.FrameDecoder decoder = new GangCodec.FrameDecoder(GangCodec.HELLO_FRAME_LIMIT);
              ch.pipeline().addLast("traffic", traffic);
              ch.pipeline().addLast("frames", decoder);
              ch.pipeline().addLast("gang", new ServerConnection(coordinator, decoder, helloMillis, frames));
            }
          });
      serverChannel = b.bind(new InetSocketAddress(bindHost, 0)).syncUninterruptibly().channel();
      port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    } catch (RuntimeException e) {
      shutdown();
      throw new GangException("cannot start the gang server on " + bindHost + ": " + e.getMessage(), e);
    }
    LOG.info("gang: driver endpoint listening on {}:{}", bindHost, port);
  }

  int port() {
    return port;
  }

  /** Bytes received and sent over every connection so far: {in, out}. */
  long[] traffic() {
    return new long[] {traffic.bytesIn(), traffic.bytesOut()};
  }

  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdown();
  }

  private void shutdown() {
    frames.release();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** One accepted connection, as the coordinator sees it. */
  private static final class ServerConnection extends SimpleChannelInboundHandler<GangMessage>
      implements GangCoordinator.Connection {
    private final GangCoordinator coordinator;
    private final GangCodec.FrameDecoder decoder;
    private final long helloMillis;
    private final SharedFrame frames;
    private volatile Channel channel;
    private volatile boolean refused;
    private boolean helloSeen; // event loop only
    private ScheduledFuture<?> helloTimer;

    ServerConnection(GangCoordinator coordinator, GangCodec.FrameDecoder decoder, long helloMillis,
        SharedFrame frames) {
      this.coordinator = coordinator;
      this.decoder = decoder;
      this.helloMillis = helloMillis;
      this.frames = frames;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      channel = ctx.channel();
      helloTimer = ctx.executor().schedule(() -> {
        if (!helloSeen) {
          LOG.warn("gang: {} sent no hello within {} ms; closing", describe(), helloMillis);
          ctx.close();
        }
      }, helloMillis, TimeUnit.MILLISECONDS);
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, GangMessage msg) {
      if (!helloSeen) {
        if (!(msg instanceof GangMessage.Hello h)) {
          LOG.warn("gang: {} spoke before saying hello; closing", describe());
          ctx.close();
          return;
        }
        helloSeen = true;
        helloTimer.cancel(false);
        coordinator.onHello(this, h);
        if (!refused && ctx.channel().isActive()) {
          decoder.acceptLargeFrames();
        }
        return;
      }
      if (refused) {
        return;
      }
      if (msg instanceof GangMessage.Result r) {
        coordinator.onResult(this, r);
      } else if (msg instanceof GangMessage.Failed f) {
        coordinator.onTaskError(this, f);
      } else {
        LOG.warn("gang: unexpected {} from {}; closing", msg.getClass().getSimpleName(), describe());
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (helloTimer != null) {
        helloTimer.cancel(false);
      }
      coordinator.onDisconnected(this);
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("gang: closing {}: {}", describe(), cause.toString());
      ctx.close();
    }

    @Override
    public void send(GangMessage m) {
      Channel ch = channel;
      ByteBuf buf = frames.frameFor(ch.alloc(), m);
      ch.writeAndFlush(buf, ch.voidPromise());
    }

    @Override
    public void refuse(String reason) {
      refused = true;
      Channel ch = channel;
      ch.writeAndFlush(GangCodec.encode(ch.alloc(), new GangMessage.Refused(reason)))
          .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
      channel.close();
    }

    @Override
    public String describe() {
      Channel ch = channel;
      return "connection from " + (ch == null ? "?" : ch.remoteAddress());
    }
  }
}
