package sparksgd.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sparksgd.store.NpyTest.assertMessage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
  private final Configuration conf = new Configuration();
  @TempDir java.nio.file.Path tmp;

  record Metrics(String name, double loss, double best, double worst, int epochs) {}

  @Test
  void recordRoundTripWithNonFiniteNumbersAsStrings() throws Exception {
    Path p = new Path(tmp.resolve("metrics.json").toUri());
    Metrics m = new Metrics("run", Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 3);
    Json.write(conf, p, m);
    String text = Files.readString(tmp.resolve("metrics.json"));
    assertTrue(text.contains("\"loss\" : \"NaN\""), text);
    assertTrue(text.contains("\"best\" : \"-Infinity\""), text);
    assertTrue(text.endsWith("}\n"), "final newline");
    assertEquals(m, Json.read(conf, p, Metrics.class));
    // standard JSON: the tree reader sees strings, and asDouble parses them
    assertTrue(Double.isNaN(Json.readTree(conf, p).get("loss").asDouble()));
  }

  @Test
  void mapsAndTreesAreWrittenSortedByKey() {
    Map<String, Integer> map = new LinkedHashMap<>();
    map.put("zeta", 1);
    map.put("alpha", 2);
    String a = Json.toString(map);
    assertTrue(a.indexOf("alpha") < a.indexOf("zeta"), a);
    ObjectNode tree = Json.object();
    tree.put("zeta", 1);
    tree.putObject("mid").put("y", 1).put("b", 2);
    tree.put("alpha", 2);
    String t = Json.toString(tree);
    assertTrue(t.indexOf("alpha") < t.indexOf("mid") && t.indexOf("mid") < t.indexOf("zeta"), t);
    assertTrue(t.indexOf("\"b\"") < t.indexOf("\"y\""), t);
  }

  @Test
  void readsPythonStyleBareNaN() {
    JsonNode n = Json.parse("{\"x\": NaN, \"y\": -Infinity}".getBytes(StandardCharsets.UTF_8), "py.json");
    assertTrue(Double.isNaN(n.get("x").asDouble()));
    assertEquals(Double.NEGATIVE_INFINITY, n.get("y").asDouble());
  }

  @Test
  void typeReferenceRead() {
    Path p = new Path(tmp.resolve("m.json").toUri());
    Json.write(conf, p, Map.of("a", 1L, "b", 2L));
    Map<String, Long> back = Json.read(conf, p, new TypeReference<Map<String, Long>>() {});
    assertEquals(Map.of("a", 1L, "b", 2L), back);
  }

  @Test
  void damagedOrWrongFilesNameTheFile() throws Exception {
    Files.writeString(tmp.resolve("bad.json"), "{\"name\": \"x\", \"loss\": ");
    Path bad = new Path(tmp.resolve("bad.json").toUri());
    assertMessage(assertThrows(StoreException.class, () -> Json.readTree(conf, bad)),
        "bad.json", "invalid JSON");
    Files.writeString(tmp.resolve("extra.json"), "{\"name\": \"x\", \"typo\": 1}");
    Path extra = new Path(tmp.resolve("extra.json").toUri());
    assertMessage(assertThrows(StoreException.class, () -> Json.read(conf, extra, Metrics.class)),
        "extra.json", "typo");
    Files.writeString(tmp.resolve("trailing.json"), "{} {}");
    Path trailing = new Path(tmp.resolve("trailing.json").toUri());
    assertMessage(assertThrows(StoreException.class, () -> Json.read(conf, trailing, Map.class)),
        "trailing.json");
    Path missing = new Path(tmp.resolve("missing.json").toUri());
    assertMessage(assertThrows(StoreException.class, () -> Json.readTree(conf, missing)),
        "missing.json", "not found");
  }
}
