package sparksgd.engine.gang;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The allreduce frames on the driver link, and the hello's ring address, round-trip exactly. */
class ExchangeFramesTest {
  private static GangMessage roundTrip(GangMessage m) {
    EmbeddedChannel ch = new EmbeddedChannel(new GangCodec.FrameDecoder(GangCodec.MAX_FRAME));
    ByteBuf buf = GangCodec.encode(UnpooledByteBufAllocator.DEFAULT, m);
    ch.writeInbound(buf);
    GangMessage out = ch.readInbound();
    assertFalse(ch.finish());
    return out;
  }

  @Test
  void helloCarriesTheRingAddress() {
    GangMessage.Hello h = assertInstanceOf(GangMessage.Hello.class,
        roundTrip(new GangMessage.Hello(new byte[] {9, 8}, 3, 5, 2, "executor-7.example", 41234)));
    assertArrayEquals(new byte[] {9, 8}, h.secret());
    assertEquals(3, h.partition());
    assertEquals(2, h.stageAttempt());
    assertEquals("executor-7.example", h.peerHost());
    assertEquals(41234, h.peerPort());
  }

  @Test
  void stateAndStepFramesRoundTripBitForBit() {
    double[] params = {-0.0, Double.MIN_VALUE, Double.NaN, 1.0 / 3};
    double[][] slots = {{1, 2, 3, 4}, {Double.longBitsToDouble(0x7ff8_dead_beef_0001L), 0, 0, 5}};
    GangMessage.Load l = assertInstanceOf(GangMessage.Load.class,
        roundTrip(new GangMessage.Load(17, params, slots, 123_456_789_012L)));
    assertEquals(17, l.id());
    assertEquals(123_456_789_012L, l.optimizerStep());
    assertArrayEquals(doubleBits(params), doubleBits(l.params()));
    assertEquals(2, l.slots().length);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(doubleBits(slots[i]), doubleBits(l.slots()[i]));
    }
    GangMessage.Update u = assertInstanceOf(GangMessage.Update.class,
        roundTrip(new GangMessage.Update(18, 4, 99, 1e-3 / 3)));
    assertEquals(new GangMessage.Update(18, 4, 99, 1e-3 / 3), u);
    assertEquals(new GangMessage.Fetch(19), roundTrip(new GangMessage.Fetch(19)));
    GangMessage.Peers p = assertInstanceOf(GangMessage.Peers.class,
        roundTrip(new GangMessage.Peers(new String[] {"a", "b", "c"}, new int[] {1, 2, 65535})));
    assertArrayEquals(new String[] {"a", "b", "c"}, p.hosts());
    assertArrayEquals(new int[] {1, 2, 65535}, p.ports());
  }

  private static long[] doubleBits(double[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Double.doubleToRawLongBits(a[i]);
    }
    return out;
  }
}
