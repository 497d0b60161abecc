package sparksgd.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.data.FeatureNames;
import sparksgd.data.FeatureStats;
import sparksgd.job.DataSpec.Normalization;

/** The wide statistics layout: where it starts, its round trip, its checksum and the names' patterns. */
class StatsFilesTest {
  @TempDir
  java.nio.file.Path dir;
  private final Configuration conf = new Configuration();

  private static FeatureStats stats(int features, String prefix, int first, long seed) {
    Random r = new Random(seed);
    int d = features + 1;
    double[] mean = new double[d];
    double[] std = new double[d];
    double[] min = new double[d];
    double[] max = new double[d];
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      mean[j] = r.nextGaussian();
      std[j] = r.nextDouble();
      min[j] = mean[j] - 3;
      max[j] = mean[j] + 3;
      names.add(j < features ? prefix + (first + j) + (prefix.endsWith("[") ? "]" : "") : "y");
    }
    return new FeatureStats(names, 77, mean, std, min, max, Normalization.STANDARD, true).uncentered();
  }

  @Test
  void upToAThousandFeaturesEveryColumnIsListedAsBefore() {
    FeatureStats s = stats(1000, "f", 1, 1);
    JsonNode json = StatsFiles.write(conf, new Path(dir.toString()), s);
    assertEquals(s.toJson(), json);
    assertEquals(1001, json.get("columns").size());
    assertFalse(Files.exists(dir.resolve(StatsFiles.SIDECAR)));
  }

  @Test
  void widerStatisticsGoToTheSidecarAndReadBackExactly() throws Exception {
    FeatureStats s = stats(1001, "f", 1, 2);
    Path folder = new Path(dir.toString());
    JsonNode json = StatsFiles.write(conf, folder, s);
    assertFalse(json.has("columns"));
    assertTrue(json.toString().length() < 1024, json.toString());
    assertEquals(json.get("features").get("sha256"), StatsFiles.describe(s).get("features").get("sha256"));
    assertEquals("none", json.get("features").get("shift-rule").asText(), "sparse statistics are not centered");
    assertEquals("std", json.get("features").get("scale-rule").asText());
    double[] a = Npy.read(conf, new Path(folder, StatsFiles.SIDECAR), 4, 1001);
    assertEquals(s.mean()[0], a[0]);
    assertEquals(s.std()[1000], a[1001 + 1000]);
    assertEquals(s.max()[7], a[3 * 1001 + 7]);

    FeatureStats back = StatsFiles.read(conf, folder, json);
    assertEquals(s.names(), back.names());
    assertEquals(s.count(), back.count());
    for (double[][] pair : new double[][][] {{s.mean(), back.mean()}, {s.std(), back.std()}, {s.min(), back.min()},
        {s.max(), back.max()}}) {
      assertArrayEquals(pair[0], pair[1]);
    }
    assertEquals(s.normalization(), back.normalization());
    assertEquals(s.normalizeLabel(), back.normalizeLabel());
    assertFalse(back.centered());
    assertEquals(s.scale(5), back.scale(5));
    assertEquals(s.labelShift(), back.labelShift());

    assertTrue(StatsFiles.sameWide(StatsFiles.describe(s), back));
    double[] changed = s.std().clone();
    changed[500] += 1e-12;
    FeatureStats other = new FeatureStats(s.names(), s.count(), s.mean(), changed, s.min(), s.max(),
        s.normalization(), s.normalizeLabel(), false);
    assertFalse(StatsFiles.sameWide(StatsFiles.describe(s), other), "one feature's std differs");

    // A damaged sidecar is refused by its checksum, naming the file.
    java.nio.file.Path sidecar = dir.resolve(StatsFiles.SIDECAR);
    try (RandomAccessFile f = new RandomAccessFile(sidecar.toFile(), "rw")) {
      f.seek(f.length() - 3);
      f.write(0x42);
    }
    StoreException e = assertThrows(StoreException.class, () -> StatsFiles.read(conf, folder, json));
    assertTrue(e.getMessage().contains(StatsFiles.SIDECAR) && e.getMessage().contains("SHA-256"), e.getMessage());
    Files.delete(sidecar);
    e = assertThrows(StoreException.class, () -> StatsFiles.read(conf, folder, json));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void featureNamesFollowingAPatternAreWrittenAsThePattern() {
    List<String> svm = stats(3000, "f", 1, 3).names().subList(0, 3000);
    JsonNode p = FeatureNames.toJson(svm);
    assertEquals("{\"prefix\":\"f\",\"first\":1,\"suffix\":\"\",\"count\":3000}", p.toString());
    assertEquals(svm, FeatureNames.fromJson(p, 3000));
    List<String> hashed = stats(20, "hash[", 0, 3).names().subList(0, 20);
    assertEquals("{\"prefix\":\"hash[\",\"first\":0,\"suffix\":\"]\",\"count\":20}", FeatureNames.toJson(hashed).toString());
    assertEquals(hashed, FeatureNames.fromJson(FeatureNames.toJson(hashed), 20));
    for (List<String> listed : List.of(List.of("a", "b"), List.of("f1", "f3"), List.of("f01", "f02"),
        List.of("x2", "x3"), List.of("f1", "g2"))) {
      JsonNode n = FeatureNames.toJson(listed);
      assertTrue(n.isArray(), listed + " is no pattern");
      assertEquals(listed, FeatureNames.fromJson(n, listed.size()));
    }
    assertThrows(IllegalArgumentException.class, () -> FeatureNames.fromJson(p, 2999));
  }
}
