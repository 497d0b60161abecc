package sparksgd.engine.gang;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/** Counts the bytes every connection of the driver's endpoint received and sent (the bench's figures). */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {
  private final LongAdder in = new LongAdder();
  private final LongAdder out = new LongAdder();

  long bytesIn() {
    return in.sum();
  }

  long bytesOut() {
    return out.sum();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf b) {
      in.add(b.readableBytes());
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf b) {
      out.add(b.readableBytes());
    }
    super.write(ctx, msg, promise);
  }
}
