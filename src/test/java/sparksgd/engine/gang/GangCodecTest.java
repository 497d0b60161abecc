package sparksgd.engine.gang;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

class GangCodecTest {
  private static final double[] ODD = {0.0, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.NaN,
      Double.longBitsToDouble(0x7ff8_dead_beef_0001L), Double.POSITIVE_INFINITY, 1.0 / 3, Math.PI};

  private static GangMessage roundTrip(GangMessage m, boolean pooled) {
    EmbeddedChannel ch = new EmbeddedChannel(new GangCodec.FrameDecoder(GangCodec.MAX_FRAME));
    ByteBuf buf = GangCodec.encode(pooled ? PooledByteBufAllocator.DEFAULT : UnpooledByteBufAllocator.DEFAULT, m);
    // Deliver in two pieces: frames may arrive split.
    int half = buf.readableBytes() / 2;
    ch.writeInbound(buf.readRetainedSlice(half));
    ch.writeInbound(buf);
    GangMessage out = ch.readInbound();
    assertFalse(ch.finish());
    return out;
  }

  private static void assertBits(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), "index " + i);
    }
  }

  @Test
  void doublesTravelBitForBit() {
    for (boolean pooled : new boolean[] {false, true}) {
      GangMessage.Step s = (GangMessage.Step) roundTrip(new GangMessage.Step(42, 3, 7, ODD, 11), pooled);
      assertEquals(42, s.id());
      assertEquals(3, s.epoch());
      assertEquals(7, s.step());
      assertEquals(11, s.resultWidth());
      assertBits(ODD, s.params());
      GangMessage.Result r = (GangMessage.Result) roundTrip(
          new GangMessage.Result(9, new double[][] {ODD, {}, {1, 2}}), pooled);
      assertEquals(9, r.id());
      assertEquals(3, r.parts().length);
      assertBits(ODD, r.parts()[0]);
      assertBits(new double[0], r.parts()[1]);
      assertBits(new double[] {1, 2}, r.parts()[2]);
    }
  }

  @Test
  void float32ValuesTravelInFourBytesAndStillBitForBit() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    double[] floats = new double[1000];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) rnd.nextGaussian();
    }
    floats[7] = Float.MIN_VALUE; // subnormal floats are floats too
    floats[8] = -0.0;
    double[] withTail = java.util.Arrays.copyOf(floats, 1002);
    withTail[1000] = 1.0 / 3; // a float32 step result ends with its double loss sum and row count
    withTail[1001] = 4096;
    for (boolean pooled : new boolean[] {false, true}) {
      assertBits(floats, ((GangMessage.Step) roundTrip(new GangMessage.Step(1, 0, 0, floats, 3), pooled)).params());
      GangMessage.Result r = (GangMessage.Result) roundTrip(new GangMessage.Result(2, new double[][] {withTail, ODD}),
          pooled);
      assertBits(withTail, r.parts()[0]);
      assertBits(ODD, r.parts()[1]);
    }
    int f32 = GangCodec.encode(UnpooledByteBufAllocator.DEFAULT, new GangMessage.Step(1, 0, 0, floats, 3))
        .readableBytes();
    double[] doubles = floats.clone();
    doubles[0] = 0.1; // not a float: the whole array goes as float64
    int f64 = GangCodec.encode(UnpooledByteBufAllocator.DEFAULT, new GangMessage.Step(1, 0, 0, doubles, 3))
        .readableBytes();
    assertEquals(8 * 1000 - 4 * 1000, f64 - f32);
    assertEquals(3, sparksgd.model.Precision.floatPrefix(new double[] {1, 0.5, -2, 0.1, 1}));
  }

  @Test
  void aFrameSpreadOverSeveralBuffersDecodesBitForBit() {
    ByteBuf whole = GangCodec.encode(UnpooledByteBufAllocator.DEFAULT, new GangMessage.Step(1, 2, 3, ODD, 4));
    whole.skipBytes(4); // the length field
    io.netty.buffer.CompositeByteBuf pieces = Unpooled.compositeBuffer();
    int half = whole.readableBytes() / 2 + 3;
    pieces.addComponent(true, whole.readRetainedSlice(half));
    pieces.addComponent(true, whole);
    GangMessage.Step s = (GangMessage.Step) GangCodec.decode(pieces);
    assertBits(ODD, s.params());
    pieces.release();
  }

  @Test
  void everyMessageRoundTrips() {
    GangMessage.Hello h = (GangMessage.Hello) roundTrip(new GangMessage.Hello(new byte[] {1, -2, 3}, 4, 5, 6), true);
    assertArrayEquals(new byte[] {1, -2, 3}, h.secret());
    assertEquals(4, h.partition());
    assertEquals(5, h.stageId());
    assertEquals(6, h.stageAttempt());
    assertEquals("nope ü", ((GangMessage.Refused) roundTrip(new GangMessage.Refused("nope ü"), true)).reason());
    GangMessage.Evaluate e = (GangMessage.Evaluate) roundTrip(new GangMessage.Evaluate(8, 2, ODD, 6), true);
    assertEquals(8, e.id());
    assertEquals(2, e.split());
    assertEquals(6, e.resultWidth());
    assertBits(ODD, e.params());
    assertInstanceOf(GangMessage.Stop.class, roundTrip(new GangMessage.Stop(), true));
    GangMessage.Failed f = (GangMessage.Failed) roundTrip(new GangMessage.Failed(3, "trace"), true);
    assertEquals(3, f.id());
    assertEquals("trace", f.error());
  }

  @Test
  void aLargeFrameBeforeHelloIsRejected() {
    EmbeddedChannel ch = new EmbeddedChannel(new GangCodec.FrameDecoder(GangCodec.HELLO_FRAME_LIMIT));
    ByteBuf buf = Unpooled.buffer().writeInt(1 << 30).writeByte(GangCodec.RESULT);
    assertThrows(TooLongFrameException.class, () -> ch.writeInbound(buf));
    ch.finishAndReleaseAll();
  }

  @Test
  void garbageIsRejected() {
    EmbeddedChannel ch = new EmbeddedChannel(new GangCodec.FrameDecoder(GangCodec.HELLO_FRAME_LIMIT));
    ByteBuf buf = Unpooled.buffer().writeInt(3).writeByte(99).writeShort(0);
    assertThrows(DecoderException.class, () -> ch.writeInbound(buf));
    ch.finishAndReleaseAll();
  }
}
