package sparksgd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import org.junit.jupiter.api.Test;
import sparksgd.sweep.AshaSpec;
import sparksgd.sweep.SweepSpec;

/** The bench's ASHA part runs the space of jobs/boston-sweep-asha.conf, which the issue sets at 64+ settings. */
class AshaBenchSpaceTest {
  @Test
  void theBenchSearchesTheSpaceOfTheJobFile() {
    SweepSpec file = SweepSpec.parse(new File("jobs/boston-sweep-asha.conf"));
    SweepSpec bench = SweepSpec.parse(ConfigFactory.parseString(AshaBench.SWEEP), new File("jobs"));
    assertEquals(file.combos(), bench.combos());
    assertEquals(file.fixed(), bench.fixed());
    assertEquals(file.asha(), bench.asha());
    assertEquals(file.folds(), bench.folds());
    assertEquals(file.parallelism(), bench.parallelism());
    assertTrue(file.usesAsha());
    assertTrue(file.combos().size() >= 64, file.combos().size() + " settings");
    assertEquals(java.util.List.of(12, 36, 108, 300), file.asha().rungs(300));
    assertEquals(new AshaSpec(12, 3, 300), file.asha());
  }
}
