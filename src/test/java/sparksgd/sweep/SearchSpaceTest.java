package sparksgd.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;
import sparksgd.job.JobConfigException;

class SearchSpaceTest {
  private static SearchSpace space(String hocon) {
    return SearchSpace.of(ConfigFactory.parseString(hocon));
  }

  @Test
  void gridIsEveryCombinationInKeyOrderLastKeyFastest() {
    SearchSpace s = space("""
        training.batch-size = [8, 16]
        optimizer { learning-rate = [0.1, 0.01] }
        model.activation = [relu, tanh, sigmoid]
        """);
    assertEquals(List.of("model.activation", "optimizer.learning-rate", "training.batch-size"), s.keys());
    List<List<String>> g = s.grid();
    assertEquals(12, g.size());
    assertEquals(List.of("model.activation=\"relu\"", "optimizer.learning-rate=0.1", "training.batch-size=8"), g.get(0));
    assertEquals(List.of("model.activation=\"relu\"", "optimizer.learning-rate=0.1", "training.batch-size=16"), g.get(1));
    assertEquals(List.of("model.activation=\"relu\"", "optimizer.learning-rate=0.01", "training.batch-size=8"), g.get(2));
    assertEquals(List.of("model.activation=\"tanh\"", "optimizer.learning-rate=0.1", "training.batch-size=8"), g.get(4));
    assertEquals(List.of("model.activation=\"sigmoid\"", "optimizer.learning-rate=0.01", "training.batch-size=16"),
        g.get(11));
    assertEquals(12, g.stream().distinct().count());
  }

  @Test
  void listValuesStayHoconAndQuotedPathsWork() {
    SearchSpace s = space("\"model.hidden\" = [[64, 64], [32]]");
    assertEquals(List.of(List.of("model.hidden=[64,64]"), List.of("model.hidden=[32]")), s.grid());
    assertEquals("[64,64]", SearchSpace.settings(s.grid().get(0)).get("model.hidden"));
    assertEquals("relu", SearchSpace.settings(List.of("model.activation=\"relu\"")).get("model.activation"));
  }

  @Test
  void randomSearchIsSeededStableAndInsideItsRanges() {
    SearchSpace s = space("""
        optimizer.learning-rate = { min = 1e-4, max = 1e-1, scale = log }
        training.epochs = { min = 10, max = 20, integer = true }
        model.activation = [relu, tanh]
        """);
    List<List<String>> a = s.random(400, 3);
    assertEquals(a, s.random(400, 3));
    assertNotEquals(a, s.random(400, 4));
    int below = 0;
    for (List<String> t : a) {
      var m = SearchSpace.settings(t);
      double lr = Double.parseDouble(m.get("optimizer.learning-rate"));
      assertTrue(lr >= 1e-4 && lr <= 1e-1, "learning rate " + lr);
      below += lr < 1e-3 ? 1 : 0;
      long epochs = Long.parseLong(m.get("training.epochs"));
      assertTrue(epochs >= 10 && epochs <= 20);
      assertTrue(List.of("relu", "tanh").contains(m.get("model.activation")));
    }
    // Log scale: a third of the draws fall in the first of three decades (a linear scale would give ~1%).
    assertTrue(below > 100 && below < 170, "draws below 1e-3: " + below);
  }

  @Test
  void keysThatChangeTheSharedDataCannotBeSearched() {
    JobConfigException e = assertThrows(JobConfigException.class, () -> space("data.normalize = [standard, none]"));
    assertTrue(e.getMessage().contains("space.data.normalize"), e.getMessage());
    assertThrows(JobConfigException.class, () -> space("training.seed = [1, 2]"));
    assertThrows(JobConfigException.class, () -> space("training.partitions = [1, 2]"));
    JobConfigException r = assertThrows(JobConfigException.class,
        () -> space("optimizer.learning-rate = { min = 0, max = 1, scale = log }"));
    assertTrue(r.getMessage().contains("min > 0 for log"), r.getMessage());
    assertThrows(JobConfigException.class, () -> space("optimizer.learning-rate = 0.1"));
    assertThrows(JobConfigException.class, () -> space("x = { min = 1, max = 2, step = 1 }"));
    assertThrows(JobConfigException.class, () -> space("optimizer.learning-rate = { min = 1, max = 2 }").grid());
  }

  @Test
  void sweepFileErrorsNameTheirKey() {
    File dir = new File(".");
    JobConfigException e = assertThrows(JobConfigException.class, () -> SweepSpec.parse(ConfigFactory.parseString(
        "sweep { base = a.conf, fold = 3 }, space { training.epochs = [1] }"), dir));
    assertTrue(e.getMessage().contains("sweep.fold"), e.getMessage());
    e = assertThrows(JobConfigException.class, () -> SweepSpec.parse(ConfigFactory.parseString(
        "sweep { base = a.conf, metric = validation-speed }, space { training.epochs = [1] }"), dir));
    assertTrue(e.getMessage().contains("sweep.metric"), e.getMessage());
    e = assertThrows(JobConfigException.class, () -> SweepSpec.parse(ConfigFactory.parseString(
        "sweep { base = a.conf }, space { training.epochs = [1] }, fixed { training.epochs = 3 }"), dir));
    assertTrue(e.getMessage().contains("fixed.training.epochs"), e.getMessage());
    e = assertThrows(JobConfigException.class, () -> SweepSpec.parse(ConfigFactory.parseString(
        "sweep { folds = 3 }, space { training.epochs = [1] }"), dir));
    assertTrue(e.getMessage().contains("sweep.base"), e.getMessage());
  }

  @Test
  void fixedKeysComeFirstAndTheSpecHashFollowsTheFile() {
    File dir = new File("/tmp");
    SweepSpec a = SweepSpec.parse(ConfigFactory.parseString(
        "sweep { base = b.conf }, space { training.epochs = [1, 2] }, fixed { training.partitions = 1 }"), dir);
    assertEquals(new File("/tmp", "b.conf").getPath(), a.baseFile());
    assertEquals(List.of("training.partitions=1", "training.epochs=2"), a.overrides(1));
    SweepSpec b = SweepSpec.parse(ConfigFactory.parseString(
        "sweep { base = b.conf }, space { training.epochs = [1, 3] }, fixed { training.partitions = 1 }"), dir);
    assertNotEquals(a.hash(), b.hash());
  }
}
