package sparksgd.engine.gang;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A task's connection to the driver's {@link GangServer}. Incoming frames are decoded on the client's
 * event loop and queued; the task thread takes them with {@link #poll}, so it never blocks on the
 * socket and can check between polls whether Spark killed it.
 */
final class GangClient implements AutoCloseable {
  /** What {@link #poll} reports once the connection is gone. */
  static final class Closed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Closed(String message) {
      super(message);
    }
  }

  private static final Object CLOSED = new Object();

  /** The responder's error, for the task thread to rethrow. */
  private record Failure(Throwable error) {}
  private final EventLoopGroup group;
  private final Channel channel;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private volatile Throwable error;

  /**
   * Answers requests (and, in allreduce mode, the ring's addresses) on the client's event loop, in the
   * order they arrived (no hand-off to another thread, the answer is written in the loop): returns
   * the answer (null: none is due), or throws to fail the task.
   */
  @FunctionalInterface
  interface Responder {
    GangMessage answer(GangMessage message) throws Exception;
  }

  private final Responder responder;

  private GangClient(String host, int port, Duration connectTimeout, Responder responder) {
    this.responder = responder;
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spark-sgd-gang-task", true),
        NioIoHandler.newFactory());
    try {
      Bootstrap b = new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true)
          .option(ChannelOption.RECVBUF_ALLOCATOR, GangCodec.receiveBuffers())
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast("frames", new GangCodec.FrameDecoder(GangCodec.MAX_FRAME));
              ch.pipeline().addLast("inbox", new Inbox());
            }
          });
      ChannelFuture f = b.connect(host, port).awaitUninterruptibly();
      if (!f.isSuccess()) {
        throw new GangException("task cannot connect to the driver at " + host + ":" + port + ": " + f.cause(),
            f.cause());
      }
      channel = f.channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  /** A client whose every incoming message goes to the inbox ({@link #poll}). */
  static GangClient connect(String host, int port, Duration connectTimeout) {
    return new GangClient(host, port, connectTimeout, null);
  }

  /**
   * A client that answers requests with {@code responder} on its event loop; everything else (stop,
   * refusal, the responder's failure, the connection's end) goes to the inbox.
   */
  static GangClient connect(String host, int port, Duration connectTimeout, Responder responder) {
    return new GangClient(host, port, connectTimeout, responder);
  }

  void send(GangMessage m) {
    channel.writeAndFlush(GangCodec.encode(channel.alloc(), m), channel.voidPromise());
  }

  /**
   * The next message, or null when none arrived within {@code millis}; throws {@link Closed} once
   * the connection is gone and the inbox is drained, or the responder's error once it failed.
   */
  GangMessage poll(long millis) throws Exception {
    Object o = inbox.poll(millis, TimeUnit.MILLISECONDS);
    if (o instanceof Failure f) {
      inbox.offer(f);
      if (f.error instanceof Exception e) {
        throw e;
      }
      throw (Error) f.error;
    }
    if (o == CLOSED) {
      inbox.offer(CLOSED);
      Throwable e = error;
      throw new Closed("connection to the driver closed" + (e == null ? "" : ": " + e));
    }
    return (GangMessage) o;
  }

  /**
   * Closes the connection after what was sent before (a close queued behind the writes), then stops
   * the event loop. Shutting the loop down at once could close the socket before queued writes ran,
   * losing e.g. the task's last error report.
   */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
  }

  private final class Inbox extends SimpleChannelInboundHandler<GangMessage> {
    private boolean failed;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, GangMessage msg) {
      if (responder == null || !(msg instanceof GangMessage.Request || msg instanceof GangMessage.Peers)) {
        inbox.offer(msg);
        return;
      }
      if (failed) {
        return;
      }
      GangMessage answer;
      try {
        answer = responder.answer(msg);
      } catch (Exception | Error e) {
        failed = true;
        inbox.offer(new Failure(e));
        return;
      }
      if (answer != null) {
        ctx.writeAndFlush(GangCodec.encode(ctx.alloc(), answer), ctx.voidPromise());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      inbox.offer(CLOSED);
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      error = cause;
      ctx.close();
    }
  }
}
