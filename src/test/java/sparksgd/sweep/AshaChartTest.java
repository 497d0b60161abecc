package sparksgd.sweep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ASHA chart renders a PNG from rung scores, including a diverged (NaN) and a far-off one. */
class AshaChartTest {
  @Test
  void rendersEveryTrialsRungScores() throws Exception {
    Map<Integer, List<AshaRecord.RungScore>> curves = new LinkedHashMap<>();
    for (int t = 1; t <= 9; t++) {
      curves.put(t, List.of(new AshaRecord.RungScore(12, 2.5 + t * 0.1, 0.1, List.of(), 48)));
    }
    curves.put(10, List.of(new AshaRecord.RungScore(12, 15.0, 0.1, List.of(), 48)));
    curves.put(11, List.of(new AshaRecord.RungScore(12, Double.NaN, 0.1, List.of(), 48)));
    curves.put(2, List.of(new AshaRecord.RungScore(12, 2.7, 0.1, List.of(), 48),
        new AshaRecord.RungScore(36, 2.5, 0.1, List.of(), 144), new AshaRecord.RungScore(100, 2.4, 0.1, List.of(), 400)));
    byte[] png = AshaChart.render(new SweepReport.Asha(List.of(12, 36, 108, 300), curves, 51200), "validation mae", 2);
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    if (System.getProperty("asha.chart.out") != null) {
      java.nio.file.Files.write(java.nio.file.Path.of(System.getProperty("asha.chart.out")), png);
    }
  }
}
