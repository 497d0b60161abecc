package sparksgd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints under one directory (any Hadoop URI). A checkpoint is a directory
 * {@code ckpt-<global step, 12 digits>} holding
 * <ul>
 *   <li>{@code params.npy}: the flat parameters, 1-D;</li>
 *   <li>{@code opt-<slot>.npy}: one 1-D array per optimizer slot;</li>
 *   <li>{@code state.json}: counters, random-stream positions, config hash, metadata, and the
 *       declared size of every array;</li>
 *   <li>{@code stats.json}: the caller's normalization statistics, opaque;</li>
 *   <li>{@code manifest.json}: byte size and SHA-256 of every other file.</li>
 * </ul>
 * A checkpoint is written into a hidden temporary directory and published by one rename
 * ({@link HadoopFiles#publishDirectory}), so a crash never leaves a half-written {@code ckpt-*}.
 * Loading verifies every file against the manifest and the declared sizes before allocating arrays;
 * {@link #loadNewestValid} skips damaged checkpoints with a warning.
 *
 * <p>Only one run may write a checkpoint directory at a time: hold a {@link RunLock} on the run
 * folder.
 */
public final class CheckpointStore {
  public static final String PARAMS_FILE = "params.npy";
  public static final String STATE_FILE = "state.json";
  public static final String STATS_FILE = "stats.json";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final int FORMAT_VERSION = 1;
  /** Largest array accepted when loading (2 GiB of doubles); larger declared sizes are refused. */
  public static final long MAX_ARRAY_SIZE = 1L << 28;
  public static final int MAX_SLOTS = 64;

  private static final long MAX_SMALL_JSON = 1 << 20;
  private static final Pattern NAME = Pattern.compile("^ckpt-(\\d{12,18})$");
  private static final Pattern SLOT = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$");
  private static final Pattern SAFE_FILE = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  private final Configuration conf;
  private final Path dir;

  /** A verified checkpoint. */
  public record Loaded(String name, Path path, CheckpointData data) {}

  public CheckpointStore(Configuration conf, String dirUri) {
    this(conf, HadoopFiles.path(dirUri));
  }

  public CheckpointStore(Configuration conf, Path dir) {
    this.conf = conf;
    this.dir = HadoopFiles.qualify(conf, dir);
  }

  public Path dir() {
    return dir;
  }

  public static String nameFor(long globalStep) {
    if (globalStep < 0) {
      throw new IllegalArgumentException("negative global step " + globalStep);
    }
    return String.format("ckpt-%012d", globalStep);
  }

  public static String slotFile(String slot) {
    return "opt-" + slot + ".npy";
  }

  // ---------------------------------------------------------------- save

  /**
   * Writes a checkpoint and publishes it atomically; returns its name. Saving the same global step
   * again replaces the earlier checkpoint (also atomically, see {@link HadoopFiles}).
   */
  public String save(CheckpointData data) {
    if (data.optimizerSlots().size() > MAX_SLOTS) {
      throw new IllegalArgumentException("more than " + MAX_SLOTS + " optimizer slots");
    }
    for (String slot : data.optimizerSlots().keySet()) {
      if (!SLOT.matcher(slot).matches()) {
        throw new IllegalArgumentException("optimizer slot name '" + slot
            + "' must be 1-64 letters, digits, '_', '-' or '.', not starting with '.' or '-'");
      }
    }
    String name = nameFor(data.globalStep());
    HadoopFiles.mkdirs(conf, dir);
    HadoopFiles.publishDirectory(conf, new Path(dir, name), tmp -> {
      ObjectNode files = Json.object();
      // float32 runs (meta "precision") keep float-exact parameters: stored as <f4, read back exactly.
      sparksgd.model.Precision dtype = "float32".equals(data.meta().get("precision"))
          && sparksgd.model.Precision.FLOAT32.holds(data.params())
          ? sparksgd.model.Precision.FLOAT32 : sparksgd.model.Precision.FLOAT64;
      files.set(PARAMS_FILE, writeTracked(new Path(tmp, PARAMS_FILE),
          out -> Npy.write(out, data.params(), new long[] {data.params().length}, dtype)));
      for (Map.Entry<String, double[]> slot : data.optimizerSlots().entrySet()) {
        double[] values = slot.getValue();
        files.set(slotFile(slot.getKey()), writeTracked(new Path(tmp, slotFile(slot.getKey())),
            out -> Npy.write(out, values, new long[] {values.length})));
      }
      byte[] state = Json.toBytes(stateJson(data));
      files.set(STATE_FILE, writeTracked(new Path(tmp, STATE_FILE), out -> out.write(state)));
      byte[] stats = Json.toBytes(data.stats());
      files.set(STATS_FILE, writeTracked(new Path(tmp, STATS_FILE), out -> out.write(stats)));
      ObjectNode manifest = Json.object();
      manifest.put("formatVersion", FORMAT_VERSION);
      manifest.set("files", files);
      byte[] m = Json.toBytes(manifest);
      writeTracked(new Path(tmp, MANIFEST_FILE), out -> out.write(m));
    });
    return name;
  }

  private static ObjectNode stateJson(CheckpointData d) {
    ObjectNode s = Json.object();
    s.put("formatVersion", FORMAT_VERSION);
    s.put("epoch", d.epoch());
    s.put("stepInEpoch", d.stepInEpoch());
    s.put("globalStep", d.globalStep());
    s.put("optimizerStep", d.optimizerStep());
    ObjectNode streams = s.putObject("randomStreams");
    d.randomStreams().forEach((k, v) -> streams.put(k, v));
    s.put("configHash", d.configHash());
    ObjectNode meta = s.putObject("meta");
    d.meta().forEach(meta::put);
    ObjectNode params = s.putObject("params");
    params.put("file", PARAMS_FILE);
    params.put("size", d.params().length);
    ArrayNode slots = s.putArray("optimizerSlots"); // an array: slot order is kept
    d.optimizerSlots().forEach((k, v) -> {
      ObjectNode slot = slots.addObject();
      slot.put("name", k);
      slot.put("file", slotFile(k));
      slot.put("size", v.length);
    });
    return s;
  }

  /** Writes a file in the temporary directory, returning its manifest entry. */
  private ObjectNode writeTracked(Path p, HadoopFiles.StreamWriter writer) throws IOException {
    MessageDigest md = HadoopFiles.newSha256();
    long[] count = {0};
    try (FSDataOutputStream raw = HadoopFiles.create(conf, p)) {
      BufferedOutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
      OutputStream tracking = new FilterOutputStream(buffered) {
        @Override
        public void write(int b) throws IOException {
          md.update((byte) b);
          count[0]++;
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          md.update(b, off, len);
          count[0] += len;
          out.write(b, off, len);
        }
      };
      writer.write(tracking);
      tracking.flush();
      try {
        raw.hsync(); // on HDFS: durable before the directory rename publishes it
      } catch (UnsupportedOperationException e) {
        raw.flush();
      }
    }
    ObjectNode entry = Json.object();
    entry.put("bytes", count[0]);
    entry.put("sha256", HexFormat.of().formatHex(md.digest()));
    return entry;
  }

  // ---------------------------------------------------------------- list, prune

  /** Names of published checkpoints, newest (highest global step) first. */
  public List<String> list() {
    List<String> names = new ArrayList<>();
    for (FileStatus s : HadoopFiles.list(conf, dir)) {
      if (s.isDirectory() && NAME.matcher(s.getPath().getName()).matches()) {
        names.add(s.getPath().getName());
      }
    }
    names.sort(Comparator.comparingLong(CheckpointStore::stepOf).reversed());
    return names;
  }

  /**
   * Deletes all but the newest {@code keepLast} checkpoints (by global step, not validity: call it
   * right after a successful save). Returns the deleted names.
   */
  public List<String> prune(int keepLast) {
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be at least 1, got " + keepLast);
    }
    List<String> names = list();
    List<String> deleted = new ArrayList<>();
    for (String name : names.subList(Math.min(keepLast, names.size()), names.size())) {
      HadoopFiles.delete(conf, new Path(dir, name), true);
      deleted.add(name);
    }
    return deleted;
  }

  /**
   * Deletes checkpoints with a global step above {@code globalStep}: after resuming from an older
   * checkpoint (the newer ones were damaged), so they neither linger nor survive a later prune in
   * place of good ones. Returns the deleted names.
   */
  public List<String> deleteNewerThan(long globalStep) {
    List<String> deleted = new ArrayList<>();
    for (String name : list()) {
      if (stepOf(name) > globalStep) {
        HadoopFiles.delete(conf, new Path(dir, name), true);
        deleted.add(name);
      }
    }
    return deleted;
  }

  /**
   * Repairs what an interrupted save left behind (see {@link HadoopFiles#cleanupLeftovers});
   * call only while holding the run's lock.
   */
  public List<String> cleanupLeftovers() {
    if (!HadoopFiles.exists(conf, dir)) {
      return List.of();
    }
    return HadoopFiles.cleanupLeftovers(conf, dir);
  }

  // ---------------------------------------------------------------- load

  /**
   * The newest checkpoint that verifies; each damaged one newer than it is reported through
   * {@code warn} with its name and what is wrong. Empty when there is none.
   */
  public Optional<Loaded> loadNewestValid(Consumer<String> warn) {
    List<String> names = list();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      try {
        return Optional.of(load(name));
      } catch (StoreException e) {
        warn.accept("checkpoint " + name + " in " + dir + " is unusable and is skipped: "
            + e.getMessage() + (i + 1 < names.size()
                ? "; falling back to " + names.get(i + 1) : "; no older checkpoint left"));
      }
    }
    return Optional.empty();
  }

  /** Loads and fully verifies one checkpoint; throws {@link StoreException} naming the problem. */
  public Loaded load(String name) {
    Matcher nm = NAME.matcher(name);
    if (!nm.matches()) {
      throw new StoreException(new Path(dir, name) + ": not a checkpoint name (ckpt-<12 digits>)");
    }
    Path ckpt = new Path(dir, name);
    if (!HadoopFiles.isDirectory(conf, ckpt)) {
      throw new StoreException(ckpt + ": checkpoint directory not found");
    }
    Manifest manifest = readManifest(ckpt);
    Path statePath = new Path(ckpt, STATE_FILE);
    byte[] stateBytes = verifiedSmallFile(statePath, manifest.hashes().get(STATE_FILE), MAX_SMALL_JSON);
    JsonNode state = Json.parse(stateBytes, statePath.toString());
    long globalStep = longField(state, "globalStep", statePath, 0, Long.MAX_VALUE);
    if (globalStep != stepOf(name)) {
      throw new StoreException(statePath + ": globalStep " + globalStep
          + " does not match the directory name " + name);
    }
    int epoch = (int) longField(state, "epoch", statePath, 0, Integer.MAX_VALUE);
    int stepInEpoch = (int) longField(state, "stepInEpoch", statePath, 0, Integer.MAX_VALUE);
    long optimizerStep = longField(state, "optimizerStep", statePath, 0, Long.MAX_VALUE);
    JsonNode hashNode = state.get("configHash");
    if (hashNode == null || !hashNode.isTextual()) {
      throw new StoreException(statePath + ": missing text field 'configHash'");
    }
    Map<String, Long> streams = randomStreams(state, statePath);
    Map<String, String> meta = meta(state, statePath);
    ArraySizes arrays = arraySizes(state, statePath, manifest);
    // 4. stats.json, then the arrays (hashed while read, one pass).
    Path statsPath = new Path(ckpt, STATS_FILE);
    JsonNode stats = Json.parse(
        verifiedSmallFile(statsPath, manifest.hashes().get(STATS_FILE), Json.MAX_BYTES), statsPath.toString());
    requireFiniteNumbers(stats, statsPath.toString());
    double[] params = readVerifiedArray(new Path(ckpt, PARAMS_FILE), arrays.params(),
        manifest.hashes().get(PARAMS_FILE));
    LinkedHashMap<String, double[]> slots = new LinkedHashMap<>();
    for (Map.Entry<String, Long> slot : arrays.slots().entrySet()) {
      String file = slotFile(slot.getKey());
      slots.put(slot.getKey(), readVerifiedArray(new Path(ckpt, file), slot.getValue(),
          manifest.hashes().get(file)));
    }
    checkOtherFiles(ckpt, manifest, arrays);
    FiniteValues.require(params, new Path(ckpt, PARAMS_FILE).toString());
    slots.forEach((slot, values) -> FiniteValues.require(values, new Path(ckpt, slotFile(slot)).toString()));
    CheckpointData data = new CheckpointData(params, slots, optimizerStep, epoch, stepInEpoch,
        globalStep, streams, hashNode.asText(), stats, meta);
    return new Loaded(name, ckpt, data);
  }

  /** A checkpoint's manifest: every listed file's size and sha256, by name. */
  private record Manifest(Path path, Map<String, Long> sizes, Map<String, String> hashes) {}

  /** 1. The manifest, and every file it lists present with the listed size. */
  private Manifest readManifest(Path ckpt) {
    Path manifestPath = new Path(ckpt, MANIFEST_FILE);
    requireExists(manifestPath);
    JsonNode manifest =
        Json.parse(HadoopFiles.readAllBytes(conf, manifestPath, MAX_SMALL_JSON), manifestPath.toString());
    int version = (int) longField(manifest, "formatVersion", manifestPath, 1, 1000);
    if (version != FORMAT_VERSION) {
      throw new StoreException(manifestPath + ": format version " + version + ", this build reads "
          + FORMAT_VERSION);
    }
    JsonNode files = manifest.get("files");
    if (files == null || !files.isObject()) {
      throw new StoreException(manifestPath + ": missing object 'files'");
    }
    Map<String, Long> sizes = new LinkedHashMap<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : files.properties()) {
      String file = e.getKey();
      if (!SAFE_FILE.matcher(file).matches() || file.equals(MANIFEST_FILE)) {
        throw new StoreException(manifestPath + ": lists an invalid file name '" + file + "'");
      }
      long bytes = longField(e.getValue(), "bytes", manifestPath, 0, Long.MAX_VALUE);
      JsonNode sha = e.getValue().get("sha256");
      if (sha == null || !sha.isTextual() || !SHA256.matcher(sha.asText()).matches()) {
        throw new StoreException(manifestPath + ": entry '" + file + "' lacks a valid sha256");
      }
      Path p = new Path(ckpt, file);
      requireExists(p);
      long actual = HadoopFiles.length(conf, p);
      if (actual != bytes) {
        throw new StoreException(p + ": " + actual + " bytes, the manifest says " + bytes
            + (actual < bytes ? " (truncated)" : " (damaged)"));
      }
      sizes.put(file, bytes);
      hashes.put(file, sha.asText());
    }
    for (String required : List.of(STATE_FILE, STATS_FILE, PARAMS_FILE)) {
      if (!sizes.containsKey(required)) {
        throw new StoreException(manifestPath + ": does not list " + required);
      }
    }
    return new Manifest(manifestPath, sizes, hashes);
  }

  /** 2. state.json's random streams, each a 64-bit integer. */
  private static Map<String, Long> randomStreams(JsonNode state, Path statePath) {
    Map<String, Long> streams = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : objectField(state, "randomStreams", statePath)) {
      if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()) {
        throw new StoreException(statePath + ": randomStreams." + e.getKey()
            + " is not a 64-bit integer");
      }
      streams.put(e.getKey(), e.getValue().asLong());
    }
    return streams;
  }

  /** state.json's meta entries, each a string or number. */
  private static Map<String, String> meta(JsonNode state, Path statePath) {
    Map<String, String> meta = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : objectField(state, "meta", statePath)) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw new StoreException(statePath + ": meta." + e.getKey() + " is not a string or number");
      }
      meta.put(e.getKey(), e.getValue().asText());
    }
    return meta;
  }

  /** The declared lengths of the parameter array and of each optimizer slot, by slot name. */
  private record ArraySizes(long params, LinkedHashMap<String, Long> slots) {}

  /** 3. The arrays' declared sizes, bounded before anything is allocated. */
  private static ArraySizes arraySizes(JsonNode state, Path statePath, Manifest manifest) {
    JsonNode paramsDecl = state.get("params");
    if (paramsDecl == null || !paramsDecl.isObject()) {
      throw new StoreException(statePath + ": missing object 'params'");
    }
    requireFileName(paramsDecl, PARAMS_FILE, statePath, "params");
    long paramsSize = longField(paramsDecl, "size", statePath, 0, MAX_ARRAY_SIZE);
    JsonNode slotsDecl = state.get("optimizerSlots");
    if (slotsDecl == null || !slotsDecl.isArray() || slotsDecl.size() > MAX_SLOTS) {
      throw new StoreException(statePath + ": 'optimizerSlots' must be an array of at most "
          + MAX_SLOTS + " entries");
    }
    LinkedHashMap<String, Long> slotSizes = new LinkedHashMap<>();
    for (JsonNode slot : slotsDecl) {
      JsonNode slotName = slot.get("name");
      if (slotName == null || !slotName.isTextual() || !SLOT.matcher(slotName.asText()).matches()
          || slotSizes.containsKey(slotName.asText())) {
        throw new StoreException(statePath + ": invalid or repeated optimizer slot name " + slotName);
      }
      String slotFile = slotFile(slotName.asText());
      requireFileName(slot, slotFile, statePath, "optimizer slot " + slotName.asText());
      slotSizes.put(slotName.asText(), longField(slot, "size", statePath, 0, MAX_ARRAY_SIZE));
      if (!manifest.sizes().containsKey(slotFile)) {
        throw new StoreException(manifest.path() + ": does not list " + slotFile);
      }
    }
    return new ArraySizes(paramsSize, slotSizes);
  }

  /** 5. Any other listed file must still match its hash. */
  private void checkOtherFiles(Path ckpt, Manifest manifest, ArraySizes arrays) {
    for (String file : manifest.sizes().keySet()) {
      boolean checked = file.equals(STATE_FILE) || file.equals(STATS_FILE)
          || file.equals(PARAMS_FILE) || arrays.slots().keySet().stream()
              .anyMatch(s -> slotFile(s).equals(file));
      if (!checked) {
        Path p = new Path(ckpt, file);
        checkHash(p, HadoopFiles.sha256(conf, p), manifest.hashes().get(file));
      }
    }
  }

  /**
   * Statistics with a NaN or infinity are refused (Jackson writes them as the strings "NaN" and
   * "Infinity"; names are text, so only the numeric fields are judged).
   */
  private static void requireFiniteNumbers(JsonNode node, String file) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode v = e.getValue();
        boolean numericField = List.of("count", "mean", "std", "min", "max", "shift", "scale").contains(e.getKey());
        if ((v.isNumber() && !Double.isFinite(v.asDouble())) || (numericField && v.isTextual())) {
          throw new StoreException(file + ": " + e.getKey() + " is " + v.asText()
              + "; statistics must be finite numbers");
        }
        requireFiniteNumbers(v, file);
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        requireFiniteNumbers(child, file);
      }
    }
  }

  private double[] readVerifiedArray(Path p, long size, String expectedSha) {
    long length = HadoopFiles.length(conf, p);
    MessageDigest md = HadoopFiles.newSha256();
    double[] values;
    try (FSDataInputStream raw = HadoopFiles.open(conf, p);
        InputStream in = new DigestInputStream(raw, md)) {
      values = Npy.read(in, length, p.toString(), size);
    } catch (IOException e) {
      throw HadoopFiles.fail("cannot read", p, e);
    }
    checkHash(p, HexFormat.of().formatHex(md.digest()), expectedSha);
    return values;
  }

  private byte[] verifiedSmallFile(Path p, String expectedSha, long maxBytes) {
    byte[] bytes = HadoopFiles.readAllBytes(conf, p, maxBytes);
    MessageDigest md = HadoopFiles.newSha256();
    checkHash(p, HexFormat.of().formatHex(md.digest(bytes)), expectedSha);
    return bytes;
  }

  private static void checkHash(Path p, String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new StoreException(p + ": sha256 " + actual + " differs from the manifest's "
          + expected + " (the file is damaged)");
    }
  }

  private void requireExists(Path p) {
    if (!HadoopFiles.exists(conf, p)) {
      throw new StoreException(p + ": file missing");
    }
  }

  private static void requireFileName(JsonNode decl, String expected, Path where, String what) {
    JsonNode file = decl.get("file");
    if (file == null || !expected.equals(file.asText())) {
      throw new StoreException(where + ": " + what + " file is " + file + ", expected " + expected);
    }
  }

  private static long longField(JsonNode node, String field, Path where, long min, long max) {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new StoreException(where + ": missing or non-integer field '" + field + "'");
    }
    long x = v.asLong();
    if (x < min || x > max) {
      throw new StoreException(where + ": field '" + field + "' is " + x + ", outside ["
          + min + ", " + max + "]");
    }
    return x;
  }

  private static java.util.Set<Map.Entry<String, JsonNode>> objectField(JsonNode node, String field,
      Path where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new StoreException(where + ": missing object '" + field + "'");
    }
    return v.properties();
  }

  private static long stepOf(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint name: " + name);
    }
    return Long.parseLong(m.group(1));
  }
}
