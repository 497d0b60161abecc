package sparksgd.engine.gang;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The driver sends each request to every task: its frame (megabytes for a whole parameter vector or a long
 * list of changes) is encoded once and every connection writes a retained duplicate of the same bytes.
 */
final class SharedFrame {
  private GangMessage message; // the last request encoded
  private ByteBuf frame; // its frame; this holds one reference

  /** A frame of {@code m} for one connection to write (and release). */
  synchronized ByteBuf frameFor(ByteBufAllocator alloc, GangMessage m) {
    if (!(m instanceof GangMessage.Request)) {
      return GangCodec.encode(alloc, m);
    }
    if (m != message) {
      release();
      frame = GangCodec.encode(alloc, m);
      message = m;
    }
    return frame.retainedDuplicate();
  }

  synchronized void release() {
    if (frame != null) {
      frame.release();
      frame = null;
      message = null;
    }
  }
}
