package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimingsTest {
  @Test
  void phasesAddUpInAFixedOrderAndTheSummaryNamesThem() {
    Timings t = new Timings();
    t.add(Timings.REPORT, 250_000_000L);
    t.add(Timings.STEPS, 500_000_000L);
    t.add(Timings.STEPS, 300_000_000L);
    t.add(Timings.TOTAL, 3_000_000_000L);
    assertEquals(0.8, t.seconds(Timings.STEPS), 1e-12);
    assertEquals(List.of(Timings.STEPS, Timings.REPORT, Timings.TOTAL), List.copyOf(t.toMap().keySet()));
    String line = t.summary();
    assertTrue(line.startsWith("time 3.0s: "), line);
    assertTrue(line.contains("steps 0.80s") && line.contains("report 0.25s") && line.contains("checkpoints 0.00s"), line);
    assertTrue(t.time(Timings.EVALUATION, () -> 7) == 7 && t.toMap().containsKey(Timings.EVALUATION));
  }
}
