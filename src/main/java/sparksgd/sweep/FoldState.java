package sparksgd.sweep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import sparksgd.optim.OptimizerState;
import sparksgd.train.HistoryCsv;
import sparksgd.train.EpochRecord;
import sparksgd.train.TrainerState;

/**
 * Where one fold of an ASHA trial paused: the whole trainer state (so training continues bit-identically),
 * its history so far, and its score at {@code scoredEpoch} (0 and NaN when it paused between rungs, on an
 * interrupt). Kept in memory between rungs and written to the trial's folder as {@code fold-K.state} so an
 * interrupted sweep continues where it stopped. The file is one binary record ending with a CRC-32; a
 * damaged or foreign one reads as absent, and that fold starts over.
 */
record FoldState(TrainerState state, List<EpochRecord> history, int scoredEpoch, double score, String configHash) {
  // "SGDRUNG"-ish tag; version 2 stores the epoch's row count as a double (weight sums of data.weight),
  // so a version-1 state reads as garbled and its fold starts over.
  private static final long MAGIC = 0x5347445255_4e4732L;

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(MAGIC);
      writeString(out, configHash);
      out.writeInt(state.epochsDone);
      out.writeInt(state.stepInEpoch);
      out.writeLong(state.globalStep);
      out.writeDouble(state.epochLossSum);
      out.writeDouble(state.epochRows);
      out.writeInt(scoredEpoch);
      out.writeDouble(score);
      writeArray(out, state.params);
      out.writeLong(state.optimizer.step());
      out.writeInt(state.optimizer.slots().size());
      for (Map.Entry<String, double[]> e : state.optimizer.slots().entrySet()) {
        writeString(out, e.getKey());
        writeArray(out, e.getValue());
      }
      // Only the rows are read back; the header stays the one these files always had.
      writeString(out, HistoryCsv.render(history, sparksgd.train.Metric.MAE));
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The state in {@code b}, or null when it is damaged, truncated, or from another job ({@code configHash}). */
  static FoldState fromBytes(byte[] b, String configHash) {
    if (b.length < 16) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(b, 0, b.length - 8);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      if (in.readLong() != MAGIC) {
        return null;
      }
      String hash = readString(in);
      int epochsDone = in.readInt();
      int stepInEpoch = in.readInt();
      long globalStep = in.readLong();
      double lossSum = in.readDouble();
      double rows = in.readDouble();
      int scoredEpoch = in.readInt();
      double score = in.readDouble();
      double[] params = readArray(in);
      OptimizerState opt = new OptimizerState();
      opt.setStep(in.readLong());
      int slots = in.readInt();
      Map<String, double[]> read = new LinkedHashMap<>();
      for (int i = 0; i < slots; i++) {
        read.put(readString(in), readArray(in));
      }
      read.forEach((k, v) -> System.arraycopy(v, 0, opt.slot(k, v.length), 0, v.length));
      List<EpochRecord> history = new ArrayList<>(HistoryCsv.parse(readString(in)));
      long stored = in.readLong();
      if (stored != crc.getValue() || !hash.equals(configHash)) {
        return null;
      }
      TrainerState s = new TrainerState(params, opt, epochsDone, globalStep);
      s.stepInEpoch = stepInEpoch;
      s.epochLossSum = lossSum;
      s.epochRows = rows;
      return new FoldState(s, history, scoredEpoch, score, hash);
    } catch (IOException | RuntimeException e) {
      return null; // truncated or garbled: the fold starts over
    }
  }

  private static void writeArray(DataOutputStream out, double[] a) throws IOException {
    out.writeInt(a.length);
    for (double v : a) {
      out.writeDouble(v);
    }
  }

  private static double[] readArray(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available() / 8) {
      throw new IOException("bad array length " + n);
    }
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readDouble();
    }
    return a;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad string length " + n);
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
