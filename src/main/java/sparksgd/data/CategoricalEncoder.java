package sparksgd.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * Turns categorical columns ({@code data.categorical}) into one-hot feature slots placed after the numeric
 * features. Either a vocabulary per column, learned from the training rows (one slot per value seen there,
 * then one {@code <other>} slot for any value not seen), or the hashing trick ({@code data.hash-bits = N}):
 * every {@code column=value} string is hashed with MurmurHash3 (x86_32, seed 42, over its UTF-8 bytes: what
 * Spark's {@code FeatureHasher} does for a string column) into 2^N slots shared by all categorical columns;
 * no sign is applied, and values that collide in one row add up (a slot can hold 2), as in Spark.
 *
 * <p>Saved as {@code vocabulary.json} beside {@code stats.json} and in the model folder, so {@code predict},
 * {@code evaluate} and a loaded model apply the same encoding.
 */
public final class CategoricalEncoder implements Serializable {
  public static final String FILE = "vocabulary.json";
  public static final String OTHER = "<other>";
  /** Spark's FeatureHasher seed. */
  static final int HASH_SEED = 42;
  public static final int MAX_HASH_BITS = sparksgd.job.CategoricalConfig.MAX_HASH_BITS;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<String> numeric;
  private final List<String> columns;
  private final int hashBits;
  private final List<List<String>> vocabulary; // per column, its values in slot order; null when hashed
  private final long[][] counts; // per column, the training rows of each value (null when hashed)
  private final int[] firstSlot; // per column, the feature index of its first slot (vocabulary)
  private transient Map<String, Integer>[] index;

  private CategoricalEncoder(List<String> numeric, List<String> columns, int hashBits, List<List<String>> vocabulary,
      long[][] counts) {
    this.numeric = List.copyOf(numeric);
    this.columns = List.copyOf(columns);
    this.hashBits = hashBits;
    this.vocabulary = vocabulary;
    this.counts = counts;
    this.firstSlot = new int[columns.size()];
    int next = numeric.size();
    for (int c = 0; c < columns.size() && vocabulary != null; c++) {
      firstSlot[c] = next;
      next += vocabulary.get(c).size() + 1;
    }
  }

  /** Hashed slots: nothing to learn. */
  public static CategoricalEncoder hashed(List<String> numeric, List<String> columns, int hashBits) {
    if (hashBits < 1 || hashBits > MAX_HASH_BITS) {
      throw new IllegalArgumentException("hash bits must be 1.." + MAX_HASH_BITS);
    }
    return new CategoricalEncoder(numeric, columns, hashBits, null, null);
  }

  /**
   * A vocabulary from each column's value counts in the training rows: values in natural order (numerically
   * when every value of the column is a number, else as strings), so the slots do not depend on row order.
   */
  public static CategoricalEncoder learned(List<String> numeric, List<String> columns,
      List<Map<String, Long>> valueCounts) {
    List<List<String>> vocab = new ArrayList<>();
    long[][] counts = new long[columns.size()][];
    for (int c = 0; c < columns.size(); c++) {
      Map<String, Long> m = valueCounts.get(c);
      List<String> values = new ArrayList<>(m.keySet());
      values.sort(CategoricalEncoder::natural);
      vocab.add(List.copyOf(values));
      counts[c] = values.stream().mapToLong(m::get).toArray();
    }
    return new CategoricalEncoder(numeric, columns, 0, vocab, counts);
  }

  private static int natural(String a, String b) {
    Double x = asNumber(a);
    Double y = asNumber(b);
    if (x != null && y != null && !x.equals(y)) {
      return Double.compare(x, y);
    }
    if (x != null && y == null) {
      return -1;
    }
    if (x == null && y != null) {
      return 1;
    }
    return a.compareTo(b);
  }

  private static Double asNumber(String s) {
    try {
      double v = Double.parseDouble(s);
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public List<String> numeric() {
    return numeric;
  }

  public List<String> columns() {
    return columns;
  }

  public int hashBits() {
    return hashBits;
  }

  public boolean isHashed() {
    return hashBits > 0;
  }

  /** The values of column {@code c} that have a slot (vocabulary only). */
  public List<String> vocabulary(int c) {
    return vocabulary.get(c);
  }

  /** Features in all: numeric ones, then the one-hot slots. */
  public int width() {
    if (isHashed()) {
      return numeric.size() + (1 << hashBits);
    }
    int w = numeric.size();
    for (List<String> v : vocabulary) {
      w += v.size() + 1;
    }
    return w;
  }

  /** Names of every feature: the numeric columns, then {@code col=value} and {@code col=<other>}, or {@code hash[i]}. */
  public List<String> featureNames() {
    List<String> names = new ArrayList<>(numeric);
    if (isHashed()) {
      for (int i = 0; i < 1 << hashBits; i++) {
        names.add("hash[" + i + "]");
      }
      return names;
    }
    for (int c = 0; c < columns.size(); c++) {
      for (String v : vocabulary.get(c)) {
        names.add(columns.get(c) + "=" + v);
      }
      names.add(columns.get(c) + "=" + OTHER);
    }
    return names;
  }

  /** The feature index (0-based, among all features) of column {@code c} taking {@code value}. */
  public int slot(int c, String value) {
    if (isHashed()) {
      return numeric.size() + hashSlot(columns.get(c) + "=" + value, hashBits);
    }
    Integer i = index()[c].get(value);
    return firstSlot[c] + (i == null ? vocabulary.get(c).size() : i);
  }

  /** Spark FeatureHasher's slot of a term: MurmurHash3 x86_32 of its UTF-8 bytes, seed 42, non-negative mod 2^bits. */
  public static int hashSlot(String term, int bits) {
    byte[] b = term.getBytes(StandardCharsets.UTF_8);
    int h = Murmur3_x86_32.hashUnsafeBytes2(b, Platform.BYTE_ARRAY_OFFSET, b.length, HASH_SEED);
    int n = 1 << bits;
    int m = h % n;
    return m < 0 ? m + n : m;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Map<String, Integer>[] index() {
    if (index == null) {
      Map<String, Integer>[] maps = new Map[columns.size()];
      for (int c = 0; c < maps.length; c++) {
        maps[c] = new HashMap<>();
        List<String> v = vocabulary.get(c);
        for (int i = 0; i < v.size(); i++) {
          maps[c].put(v.get(i), i);
        }
      }
      index = maps;
    }
    return index;
  }

  /**
   * One row: {@code numeric} is {@code [numeric features..., (weight,) label]}, {@code values} the categorical
   * cells. Dense: {@code [features..., (weight,) label]} over {@link #width()} features. Sparse:
   * {@code [c0, v0, c1, v1, ..., label]} (ascending columns, zeros left out; no weight: sparse rows carry none).
   */
  public double[] encode(double[] numeric, String[] values, boolean sparse) {
    int m = this.numeric.size();
    int tail = numeric.length - m;
    int[] slots = new int[values.length];
    for (int c = 0; c < values.length; c++) {
      slots[c] = slot(c, values[c]);
    }
    if (!sparse) {
      int w = width();
      double[] out = new double[w + tail];
      System.arraycopy(numeric, 0, out, 0, m);
      for (int s : slots) {
        out[s] += 1;
      }
      System.arraycopy(numeric, m, out, w, tail);
      return out;
    }
    Arrays.sort(slots);
    double[] out = new double[2 * (m + slots.length) + 1];
    int n = 0;
    for (int j = 0; j < m; j++) {
      if (numeric[j] != 0) {
        out[2 * n] = j;
        out[2 * n + 1] = numeric[j];
        n++;
      }
    }
    for (int i = 0; i < slots.length; i++) {
      if (i > 0 && slots[i] == slots[i - 1]) {
        out[2 * n - 1] += 1; // a hash collision within the row: the values add up
      } else {
        out[2 * n] = slots[i];
        out[2 * n + 1] = 1;
        n++;
      }
    }
    double[] packed = Arrays.copyOf(out, 2 * n + 1);
    packed[2 * n] = numeric[numeric.length - 1];
    return packed;
  }

  /**
   * The statistics with every one-hot slot recorded as mean 0, std 1, min 0, max 1: every normalization rule
   * then leaves the slots at 0/1 (never centered, never scaled); the numeric columns keep their statistics.
   * The slots' real frequencies are the counts in {@code vocabulary.json}.
   */
  public FeatureStats passThrough(FeatureStats s) {
    double[] mean = s.mean().clone();
    double[] std = s.std().clone();
    double[] min = s.min().clone();
    double[] max = s.max().clone();
    for (int j = numeric.size(); j < s.features(); j++) {
      mean[j] = 0;
      std[j] = 1;
      min[j] = 0;
      max[j] = 1;
    }
    return new FeatureStats(s.names(), s.count(), mean, std, min, max, s.normalization(), s.normalizeLabel(),
        s.centered());
  }

  /** For the start line, e.g. {@code categorical RAD: 10 one-hot slots (9 training values + <other>)}. */
  public String describe() {
    if (isHashed()) {
      return "categorical " + String.join(", ", columns) + ": hashed into " + (1 << hashBits) + " slots (data.hash-bits = "
          + hashBits + ")";
    }
    StringBuilder sb = new StringBuilder("categorical");
    for (int c = 0; c < columns.size(); c++) {
      sb.append(c == 0 ? " " : "; ").append(columns.get(c)).append(": ").append(vocabulary.get(c).size() + 1)
          .append(" one-hot slots (").append(vocabulary.get(c).size()).append(" training values + ").append(OTHER)
          .append(')');
    }
    return sb.toString();
  }

  /** {@code vocabulary.json}. */
  public JsonNode toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("encoding", isHashed() ? "hashed" : "vocabulary");
    root.set("numeric", MAPPER.valueToTree(numeric));
    if (isHashed()) {
      root.put("hash", "murmur3_x86_32 of the UTF-8 bytes of \"column=value\", seed " + HASH_SEED
          + ", non-negative modulo 2^hash-bits (Spark's FeatureHasher)");
      root.put("hash-bits", hashBits);
      root.set("columns", MAPPER.valueToTree(columns));
      return root;
    }
    ArrayNode cols = root.putArray("columns");
    for (int c = 0; c < columns.size(); c++) {
      ObjectNode o = cols.addObject();
      o.put("name", columns.get(c));
      o.put("first-feature", firstSlot[c]);
      o.set("values", MAPPER.valueToTree(vocabulary.get(c)));
      o.set("training-rows", MAPPER.valueToTree(counts[c]));
      o.put("other-feature", firstSlot[c] + vocabulary.get(c).size());
    }
    return root;
  }

  /** Reads {@link #toJson()}'s form; anything missing or inconsistent is an {@link IllegalArgumentException}. */
  public static CategoricalEncoder fromJson(JsonNode root) {
    List<String> numeric = strings(root.get("numeric"), "numeric");
    String kind = root.path("encoding").asText();
    if (kind.equals("hashed")) {
      int bits = root.path("hash-bits").asInt(0);
      if (bits < 1 || bits > MAX_HASH_BITS) {
        throw new IllegalArgumentException("vocabulary: hash-bits must be 1.." + MAX_HASH_BITS);
      }
      return hashed(numeric, strings(root.get("columns"), "columns"), bits);
    }
    if (!kind.equals("vocabulary") || !root.path("columns").isArray()) {
      throw new IllegalArgumentException("vocabulary: 'encoding' must be vocabulary or hashed, with 'columns'");
    }
    List<String> columns = new ArrayList<>();
    List<Map<String, Long>> counts = new ArrayList<>();
    for (JsonNode c : root.get("columns")) {
      columns.add(c.path("name").asText());
      List<String> values = strings(c.get("values"), "values");
      JsonNode rows = c.path("training-rows");
      Map<String, Long> m = new HashMap<>();
      for (int i = 0; i < values.size(); i++) {
        m.put(values.get(i), rows.path(i).asLong(0));
      }
      if (m.size() != values.size()) {
        throw new IllegalArgumentException("vocabulary: column '" + c.path("name").asText() + "' repeats a value");
      }
      counts.add(m);
    }
    CategoricalEncoder e = learned(numeric, columns, counts);
    for (int c = 0; c < columns.size(); c++) { // the saved order is the slot order: keep it
      if (!e.vocabulary.get(c).equals(strings(root.get("columns").get(c).get("values"), "values"))) {
        throw new IllegalArgumentException("vocabulary: column '" + columns.get(c) + "' values out of order");
      }
    }
    return e;
  }

  private static List<String> strings(JsonNode n, String field) {
    if (n == null || !n.isArray()) {
      throw new IllegalArgumentException("vocabulary: missing the '" + field + "' list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : n) {
      out.add(s.asText());
    }
    return out;
  }
}
