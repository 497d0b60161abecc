package sparksgd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sparksgd.store.NpyTest.assertMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointStoreTest {
  private final Configuration conf = new Configuration();
  @TempDir java.nio.file.Path tmp;
  private java.nio.file.Path ckdir;
  private CheckpointStore store;

  @BeforeEach
  void setUp() {
    ckdir = tmp.resolve("run/checkpoints");
    store = new CheckpointStore(conf, ckdir.toUri().toString());
  }

  static CheckpointData sample(long globalStep, int n) {
    Random r = new Random(globalStep);
    double[] params = new double[n];
    for (int i = 0; i < n; i++) {
      params[i] = r.nextGaussian();
    }
    if (n >= 3) {
      params[0] = -Double.MAX_VALUE; // extreme but finite: non-finite values are refused on load
      params[1] = -0.0;
      params[2] = Double.MIN_VALUE;
    }
    LinkedHashMap<String, double[]> slots = new LinkedHashMap<>();
    slots.put("v", params.clone());
    slots.put("m", new double[n]);
    slots.put("m.bias_1", new double[] {1, 2});
    ObjectNode stats = Json.object();
    stats.putArray("mean").add(1.5).add(-2.0);
    stats.putArray("std").add(0.5).add(3.0);
    stats.put("rows", 404);
    Map<String, Long> streams = new LinkedHashMap<>();
    streams.put("shuffle", 123456789012345L);
    streams.put("dropout", -7L);
    Map<String, String> meta = Map.of("savedAt", "2025-11-22T10:00:00Z", "version", "0.1.0");
    return new CheckpointData(params, slots, globalStep * 2, 3, 17, globalStep,
        streams, "sha256:abc", stats, meta);
  }

  static void assertSameData(CheckpointData a, CheckpointData b) {
    assertBits(a.params(), b.params());
    assertEquals(new ArrayList<>(a.optimizerSlots().keySet()),
        new ArrayList<>(b.optimizerSlots().keySet()), "slot order is kept");
    for (String k : a.optimizerSlots().keySet()) {
      assertBits(a.optimizerSlots().get(k), b.optimizerSlots().get(k));
    }
    assertEquals(a.optimizerStep(), b.optimizerStep());
    assertEquals(a.epoch(), b.epoch());
    assertEquals(a.stepInEpoch(), b.stepInEpoch());
    assertEquals(a.globalStep(), b.globalStep());
    assertEquals(a.randomStreams(), b.randomStreams());
    assertEquals(a.configHash(), b.configHash());
    assertEquals(a.stats(), b.stats());
    assertEquals(a.meta(), b.meta());
  }

  static void assertBits(double[] a, double[] b) {
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), "at " + i);
    }
  }

  @Test
  void saveListLoadRoundTripIsBitIdentical() throws IOException {
    assertEquals(List.of(), store.list());
    assertEquals(Optional.empty(), store.loadNewestValid(w -> { throw new AssertionError(w); }));
    CheckpointData d5 = sample(5, 100);
    CheckpointData d12345 = sample(12345, 1000);
    assertEquals("ckpt-000000000005", store.save(d5));
    assertEquals("ckpt-000000012345", store.save(d12345));
    assertEquals(List.of("ckpt-000000012345", "ckpt-000000000005"), store.list());

    List<String> warnings = new ArrayList<>();
    CheckpointStore.Loaded loaded = store.loadNewestValid(warnings::add).orElseThrow();
    assertEquals(List.of(), warnings);
    assertEquals("ckpt-000000012345", loaded.name());
    assertSameData(d12345, loaded.data());
    assertSameData(d5, store.load("ckpt-000000000005").data());

    // layout: every file listed in the manifest, nothing else, no .crc or temp files
    java.nio.file.Path c = ckdir.resolve("ckpt-000000012345");
    try (var s = Files.list(c)) {
      assertEquals(List.of("manifest.json", "opt-m.bias_1.npy", "opt-m.npy", "opt-v.npy",
          "params.npy", "state.json", "stats.json"),
          s.map(x -> x.getFileName().toString()).sorted().toList());
    }
    JsonNode manifest = Json.readTree(conf, new Path(c.resolve("manifest.json").toUri()));
    assertEquals(6, manifest.get("files").size());
    assertEquals(Files.size(c.resolve("params.npy")),
        manifest.get("files").get("params.npy").get("bytes").asLong());
    assertEquals(HadoopFiles.sha256(conf, new Path(c.resolve("params.npy").toUri())),
        manifest.get("files").get("params.npy").get("sha256").asText());
    try (var s = Files.list(ckdir)) {
      assertEquals(2, s.count(), "no temporary directories left");
    }
  }

  @Test
  void nonFiniteParametersOrSlotsOrStatisticsAreADamagedCheckpoint() {
    CheckpointData good = sample(4, 6);
    double[] nanParams = good.params().clone();
    nanParams[3] = Double.NaN;
    store.save(new CheckpointData(nanParams, good.optimizerSlots(), good.optimizerStep(), good.epoch(),
        good.stepInEpoch(), good.globalStep(), good.randomStreams(), good.configHash(), good.stats(), good.meta()));
    StoreException e = assertThrows(StoreException.class, () -> store.load(CheckpointStore.nameFor(4)));
    assertTrue(e.getMessage().contains("params.npy") && e.getMessage().contains("NaN"), e.getMessage());

    LinkedHashMap<String, double[]> slots = new LinkedHashMap<>(good.optimizerSlots());
    slots.put("v", new double[] {Double.POSITIVE_INFINITY});
    store.save(new CheckpointData(good.params(), slots, good.optimizerStep(), good.epoch(), good.stepInEpoch(), 5,
        good.randomStreams(), good.configHash(), good.stats(), good.meta()));
    e = assertThrows(StoreException.class, () -> store.load(CheckpointStore.nameFor(5)));
    assertTrue(e.getMessage().contains("Infinity"), e.getMessage());

    ObjectNode stats = ((ObjectNode) good.stats()).deepCopy();
    stats.putArray("columns").addObject().put("name", "NaN").put("mean", Double.NaN);
    store.save(new CheckpointData(good.params(), good.optimizerSlots(), good.optimizerStep(), good.epoch(),
        good.stepInEpoch(), 6, good.randomStreams(), good.configHash(), stats, good.meta()));
    e = assertThrows(StoreException.class, () -> store.load(CheckpointStore.nameFor(6)));
    assertTrue(e.getMessage().contains("mean"), e.getMessage());
  }

  @Test
  void emptyParamsAndNoSlots() {
    CheckpointData d = new CheckpointData(new double[0], null, 0, 0, 0, 0, null, null, null, null);
    store.save(d);
    CheckpointData back = store.load(CheckpointStore.nameFor(0)).data();
    assertEquals(0, back.params().length);
    assertTrue(back.optimizerSlots().isEmpty());
    assertTrue(back.stats().isNull());
  }

  @Test
  void savingTheSameStepAgainReplacesIt() {
    store.save(sample(7, 10));
    CheckpointData again = sample(7, 20);
    store.save(again);
    assertEquals(List.of("ckpt-000000000007"), store.list());
    assertSameData(again, store.load("ckpt-000000000007").data());
  }

  @ParameterizedTest
  @ValueSource(strings = {"flip-params", "flip-slot", "truncate-slot", "delete-stats",
      "flip-state", "delete-manifest", "garbage-manifest", "append-params"})
  void damagedNewestCheckpointFallsBackToThePreviousOne(String damage) throws IOException {
    CheckpointData older = sample(10, 50);
    store.save(older);
    store.save(sample(20, 50));
    java.nio.file.Path c = ckdir.resolve("ckpt-000000000020");
    switch (damage) {
      case "flip-params" -> flipLastByte(c.resolve("params.npy"));
      case "flip-slot" -> flipLastByte(c.resolve("opt-v.npy"));
      case "truncate-slot" -> truncate(c.resolve("opt-m.npy"), 8);
      case "delete-stats" -> Files.delete(c.resolve("stats.json"));
      case "flip-state" -> {
        String s = Files.readString(c.resolve("state.json")).replace("\"epoch\" : 3", "\"epoch\" : 4");
        Files.writeString(c.resolve("state.json"), s);
      }
      case "delete-manifest" -> Files.delete(c.resolve("manifest.json"));
      case "garbage-manifest" -> Files.writeString(c.resolve("manifest.json"), "{\"files\": ");
      case "append-params" -> Files.write(c.resolve("params.npy"), new byte[8],
          java.nio.file.StandardOpenOption.APPEND);
      default -> throw new AssertionError(damage);
    }
    List<String> warnings = new ArrayList<>();
    CheckpointStore.Loaded loaded = store.loadNewestValid(warnings::add).orElseThrow();
    assertEquals("ckpt-000000000010", loaded.name());
    assertSameData(older, loaded.data());
    assertEquals(1, warnings.size(), warnings.toString());
    assertMessage(new RuntimeException(warnings.get(0)), "ckpt-000000000020",
        "falling back to ckpt-000000000010");
    assertThrows(StoreException.class, () -> store.load("ckpt-000000000020"));
  }

  @Test
  void warningSaysWhatIsWrong() throws IOException {
    store.save(sample(1, 5));
    truncate(ckdir.resolve("ckpt-000000000001/params.npy"), 3);
    List<String> warnings = new ArrayList<>();
    assertEquals(Optional.empty(), store.loadNewestValid(warnings::add));
    assertMessage(new RuntimeException(warnings.get(0)), "ckpt-000000000001", "params.npy",
        "truncated", "no older checkpoint left");
  }

  /** A consistent manifest (hashes recomputed) cannot smuggle in a huge declared size. */
  @Test
  void hugeDeclaredSizeIsRefusedBeforeAllocation() throws IOException {
    store.save(sample(3, 4));
    java.nio.file.Path c = ckdir.resolve("ckpt-000000000003");
    rewriteState(c, s -> ((ObjectNode) s.get("params")).put("size", 1L << 29));
    assertMessage(assertThrows(StoreException.class, () -> store.load("ckpt-000000000003")),
        "state.json", "'size' is 536870912");
  }

  @Test
  void declaredSizeMustMatchTheArray() throws IOException {
    store.save(sample(3, 4));
    java.nio.file.Path c = ckdir.resolve("ckpt-000000000003");
    rewriteState(c, s -> ((ObjectNode) s.get("optimizerSlots").get(0)).put("size", 5));
    assertMessage(assertThrows(StoreException.class, () -> store.load("ckpt-000000000003")),
        "opt-v.npy", "shape is (4,), expected (5,)");
    rewriteState(c, s -> {
      ((ObjectNode) s.get("optimizerSlots").get(0)).put("size", 4);
      ((ObjectNode) s.get("optimizerSlots").get(0)).put("file", "../../elsewhere.npy");
    });
    assertMessage(assertThrows(StoreException.class, () -> store.load("ckpt-000000000003")),
        "state.json", "expected opt-v.npy");
    rewriteState(c, s -> {
      ((ObjectNode) s.get("optimizerSlots").get(0)).put("file", "opt-v.npy");
      s.put("globalStep", 4);
    });
    assertMessage(assertThrows(StoreException.class, () -> store.load("ckpt-000000000003")),
        "globalStep 4 does not match");
  }

  @Test
  void pruneKeepsTheNewest() {
    for (long step : new long[] {1, 2, 30, 400, 5000}) {
      store.save(sample(step, 3));
    }
    assertEquals(List.of("ckpt-000000000030", "ckpt-000000000002", "ckpt-000000000001"),
        store.prune(2));
    assertEquals(List.of("ckpt-000000005000", "ckpt-000000000400"), store.list());
    assertEquals(List.of(), store.prune(5));
    assertThrows(IllegalArgumentException.class, () -> store.prune(0));
    assertEquals(List.of("ckpt-000000005000"), store.deleteNewerThan(400));
    assertEquals(List.of("ckpt-000000000400"), store.list());
  }

  @Test
  void leftoversOfAnInterruptedSaveAreIgnoredThenCleaned() throws IOException {
    store.save(sample(1, 3));
    java.nio.file.Path partial = ckdir.resolve(".ckpt-000000000002.tmp-" + UUID.randomUUID());
    Files.createDirectories(partial);
    Files.write(partial.resolve("params.npy"), new byte[] {1, 2, 3});
    Files.createDirectories(ckdir.resolve("not-a-checkpoint"));
    assertEquals(List.of("ckpt-000000000001"), store.list());
    assertEquals(1, store.cleanupLeftovers().size());
    assertFalse(Files.exists(partial));
    assertTrue(Files.exists(ckdir.resolve("not-a-checkpoint")));
  }

  @Test
  void refusesBadSlotNames() {
    LinkedHashMap<String, double[]> slots = new LinkedHashMap<>();
    slots.put("../evil", new double[1]);
    CheckpointData d = new CheckpointData(new double[1], slots, 0, 0, 0, 9, null, "h", null, null);
    assertThrows(IllegalArgumentException.class, () -> store.save(d));
    assertEquals(List.of(), store.list());
  }

  // ------------------------------------------------------------ helpers

  private void rewriteState(java.nio.file.Path c, java.util.function.Consumer<ObjectNode> edit)
      throws IOException {
    Path statePath = new Path(c.resolve("state.json").toUri());
    ObjectNode state = (ObjectNode) Json.readTree(conf, statePath);
    edit.accept(state);
    byte[] bytes = Json.toBytes(state);
    Files.write(c.resolve("state.json"), bytes);
    Path mPath = new Path(c.resolve("manifest.json").toUri());
    ObjectNode manifest = (ObjectNode) Json.readTree(conf, mPath);
    ObjectNode entry = (ObjectNode) manifest.get("files").get("state.json");
    entry.put("bytes", bytes.length);
    entry.put("sha256", HexFormat.of().formatHex(HadoopFiles.newSha256().digest(bytes)));
    Files.write(c.resolve("manifest.json"), Json.toBytes(manifest));
  }

  private static void flipLastByte(java.nio.file.Path f) throws IOException {
    byte[] b = Files.readAllBytes(f);
    b[b.length - 1] ^= 0x01;
    Files.write(f, b);
  }

  private static void truncate(java.nio.file.Path f, int drop) throws IOException {
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, b.length - drop));
  }
}
