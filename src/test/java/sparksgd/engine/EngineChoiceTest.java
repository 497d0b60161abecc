package sparksgd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineChoiceTest {
  static final long GB = 1L << 30;

  @Test
  void autoRunsLocalMastersInTheDriverAndClustersOnTheGang() {
    assertEquals("local", EngineChoice.choose("auto", "local[*]", "auto", 10_000_000, 4 * GB).engine());
    assertEquals("local", EngineChoice.choose("auto", "local[2]", "driver", 10_000_000, 4 * GB).engine());
    EngineChoice cluster = EngineChoice.choose("auto", "spark://h:7077", "auto", 1000, 4 * GB);
    assertEquals("gang", cluster.engine());
    assertTrue(cluster.describe().contains("spark://h:7077"), cluster.describe());
    assertEquals("gang", EngineChoice.choose("auto", "yarn", "auto", 1000, 4 * GB).engine());
    assertEquals("gang", EngineChoice.choose("auto", "local[2]", "allreduce", 1000, 4 * GB).engine());
  }

  @Test
  void autoKeepsTheGangWhenACopyOfTheRowsWouldCrowdTheHeap() {
    EngineChoice big = EngineChoice.choose("auto", "local[*]", "auto", 2 * GB, 4 * GB); // half the heap
    assertEquals("gang", big.engine());
    assertTrue(big.describe().contains("50%"), big.describe());
    assertEquals("local", EngineChoice.choose("auto", "local[*]", "auto", GB, 4 * GB).engine()); // a quarter
  }

  @Test
  void explicitChoicesStandAndLocalNeedsALocalMaster() {
    for (String e : new String[] {"gang", "jobs"}) {
      assertEquals(e, EngineChoice.choose(e, "local[2]", "auto", 1, GB).engine());
      assertEquals(e, EngineChoice.choose(e, "spark://h:7077", "auto", 1, GB).engine());
    }
    assertEquals("local", EngineChoice.choose("local", "local[1]", "auto", 1, GB).engine());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EngineChoice.choose("local", "spark://h:7077", "auto", 1, GB));
    assertTrue(e.getMessage().contains("local master"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EngineChoice.choose("fast", "local", "auto", 1, GB));
  }
}
