package sparksgd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import sparksgd.data.FeatureStats;

/**
 * The normalization statistics in a folder (a run's {@code stats.json}, a model's {@code model.json}):
 * up to {@link FeatureStats#WIDE_FEATURES} features every column is listed in the JSON as always; wider
 * data keeps the per-feature arrays in {@value #SIDECAR} beside it (float64, shape [4, features], rows
 * mean, std, min, max), which the JSON names with its shape and SHA-256, so a 2^20-feature model's JSON
 * is a few hundred bytes instead of hundreds of megabytes.
 */
public final class StatsFiles {
  public static final String SIDECAR = "stats-features.npy";
  private static final Pattern SAFE_FILE = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");

  private StatsFiles() {}

  /** What the JSON holds for {@code stats}; for wide data the sidecar is written into {@code dir} first. */
  public static JsonNode write(Configuration conf, Path dir, FeatureStats stats) {
    if (!stats.wide()) {
      return stats.toJson();
    }
    double[] arrays = stats.featureArrays();
    long[] shape = {FeatureStats.SIDECAR_ROWS.size(), stats.features()};
    MessageDigest md = HadoopFiles.newSha256();
    HadoopFiles.writeAtomically(conf, new Path(dir, SIDECAR), out -> {
      DigestOutputStream digesting = new DigestOutputStream(out, md);
      Npy.write(digesting, arrays, shape);
      digesting.flush();
    });
    ObjectNode ref = reference(shape, HexFormat.of().formatHex(md.digest()));
    ref.put("file", SIDECAR);
    return stats.toWideJson(ref);
  }

  /**
   * The JSON of {@code stats} without writing anything: for a checkpoint, whose wide statistics are known by
   * the sidecar's checksum only (the arrays are the run's {@value #SIDECAR}; a checkpoint carries no copy).
   */
  public static JsonNode describe(FeatureStats stats) {
    if (!stats.wide()) {
      return stats.toJson();
    }
    long[] shape = {FeatureStats.SIDECAR_ROWS.size(), stats.features()};
    MessageDigest md = HadoopFiles.newSha256();
    try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
      Npy.write(out, stats.featureArrays(), shape);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a null stream does not fail
    }
    return stats.toWideJson(reference(shape, HexFormat.of().formatHex(md.digest())));
  }

  private static ObjectNode reference(long[] shape, String sha256) {
    ObjectNode ref = Json.object();
    ref.put("dtype", "float64");
    ref.putArray("shape").add(shape[0]).add(shape[1]);
    ref.put("sha256", sha256);
    return ref;
  }

  /**
   * Reads the statistics {@code json} describes (either layout); a wide one's sidecar from {@code dir}, its
   * shape and checksum checked before use. A problem is an {@link IllegalArgumentException} (the JSON) or a
   * {@link StoreException} (the sidecar) saying what is wrong.
   */
  public static FeatureStats read(Configuration conf, Path dir, JsonNode json) {
    if (!FeatureStats.isWide(json)) {
      return FeatureStats.fromJson(json);
    }
    JsonNode f = json.get("features");
    String file = f.path("file").asText("");
    if (!SAFE_FILE.matcher(file).matches()) {
      throw new IllegalArgumentException("normalization statistics: 'features.file' must name a file beside it");
    }
    if (!f.path("count").canConvertToInt() || f.get("count").asInt() < 1 || !f.path("sha256").isTextual()) {
      throw new IllegalArgumentException("normalization statistics: 'features' needs a count and a sha256");
    }
    Path p = HadoopFiles.qualify(conf, new Path(dir, file));
    if (!HadoopFiles.exists(conf, p)) {
      throw new StoreException(p + ": missing (the per-feature statistics " + dir + " refers to)");
    }
    long length = HadoopFiles.length(conf, p);
    MessageDigest md = HadoopFiles.newSha256();
    double[] arrays;
    try (FSDataInputStream raw = HadoopFiles.open(conf, p); InputStream in = new DigestInputStream(raw, md)) {
      arrays = Npy.read(in, length, p.toString(), FeatureStats.SIDECAR_ROWS.size(), f.get("count").asInt());
    } catch (IOException e) {
      throw HadoopFiles.fail("cannot read", p, e);
    }
    String actual = HexFormat.of().formatHex(md.digest());
    if (!actual.equals(f.get("sha256").asText())) {
      throw new StoreException(p + ": its SHA-256 is " + actual + ", the statistics name " + f.get("sha256").asText()
          + " (damaged, or not this model's file)");
    }
    return FeatureStats.fromWideJson(json, arrays);
  }

  /**
   * Whether {@code saved} (a checkpoint's statistics in the wide layout, see {@link #describe}) records
   * exactly {@code current}: the same count, feature names, sidecar checksum and label statistics.
   */
  public static boolean sameWide(JsonNode saved, FeatureStats current) {
    if (!current.wide()) {
      return false;
    }
    JsonNode now = describe(current);
    JsonNode a = saved.path("features");
    JsonNode b = now.path("features");
    if (saved.path("count").asLong(-1) != now.path("count").asLong()
        || a.path("count").asLong(-1) != b.path("count").asLong()
        || !a.path("sha256").asText("").equals(b.path("sha256").asText())
        || !a.path("names").equals(b.path("names"))) { // tree equality: a checkpoint's keys are sorted
      return false;
    }
    JsonNode la = saved.path("label");
    JsonNode lb = now.path("label");
    if (!la.path("name").asText("").equals(lb.path("name").asText())) {
      return false;
    }
    for (String k : FeatureStats.SIDECAR_ROWS) {
      if (!la.path(k).isNumber() || Double.compare(la.path(k).asDouble(), lb.path(k).asDouble()) != 0) {
        return false;
      }
    }
    return true;
  }
}
