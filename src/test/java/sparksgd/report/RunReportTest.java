package sparksgd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sparksgd.report.ReportFiles.assertChartSize;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import sparksgd.train.CvCurves;

class RunReportTest {

  /** Every image the report refers to is in the map, every PNG in the map is referred to and decodes. */
  static Document checkFiles(Map<String, byte[]> files, Set<String> expectedPngs) {
    assertTrue(files.containsKey("report.html"));
    List<String> keys = List.copyOf(files.keySet());
    assertEquals("report.html", keys.get(keys.size() - 1), "report.html comes last, after its pictures");
    Document doc = ReportFiles.parse(new String(files.get("report.html"), StandardCharsets.UTF_8));
    List<String> srcs = ReportFiles.imageSources(doc);
    for (String src : srcs) {
      assertTrue(files.containsKey(src), "report refers to " + src + " which is not among the files");
    }
    Set<String> pngs = files.keySet().stream().filter(k -> k.endsWith(".png")).collect(Collectors.toSet());
    assertEquals(expectedPngs, pngs);
    assertEquals(pngs, new HashSet<>(srcs));
    assertEquals(srcs.size(), new HashSet<>(srcs).size(), "each image once");
    for (String png : pngs) {
      assertChartSize(files.get(png));
    }
    return doc;
  }

  @Test
  void fullRunReport() {
    Random r = new Random(5);
    double[] actual = new double[100];
    double[] predicted = new double[100];
    for (int i = 0; i < 100; i++) {
      actual[i] = 5 + 45 * r.nextDouble();
      predicted[i] = actual[i] + 2 * r.nextGaussian();
    }
    String job = "name = x\nnote = \"<script>alert(1)</script>\"\n";
    Map<String, byte[]> files = RunReport.builder("boston <mlp>")
        .history(ChartsTest.history(50, true, true)).lossLabel("MSE loss")
        .testPredictions(predicted, actual)
        .metrics(Map.of("test", Map.of("mse", 4.1, "mae", 1.6)))
        .jobText(job).keptEpoch(33).note("note & more").build();
    Document doc = checkFiles(files, Set.of("loss.png", "val_mae.png", "pred_vs_actual.png", "residuals.png"));
    assertEquals(0, doc.getElementsByTagName("script").getLength());
    assertEquals(job, doc.getElementsByTagName("pre").item(0).getTextContent());
    assertEquals("boston <mlp>", doc.getElementsByTagName("title").item(0).getTextContent());
  }

  @Test
  void trainingOnlyRunHasOnlyTheLossChart() {
    Map<String, byte[]> files = RunReport.render("t", ChartsTest.history(12, false, false), null, null, Map.of(), "");
    checkFiles(files, Set.of("loss.png"));
  }

  @Test
  void testMetricWithoutValidationStillGetsTheMetricChartAndAccuracyIsNamedSo() {
    Map<String, byte[]> files = RunReport.builder("t").history(ChartsTest.history(20, false, true))
        .metric("accuracy").build();
    checkFiles(files, Set.of("loss.png", "val_accuracy.png"));
  }

  @Test
  void emptyHistoryAndNoPredictionsGiveAPageWithoutPictures() {
    Map<String, byte[]> files = RunReport.builder("t").metrics(Map.of("test", Map.of("mae", 1.0))).build();
    Document doc = checkFiles(files, Set.of());
    assertEquals(1, doc.getElementsByTagName("table").getLength());
  }

  @Test
  void cvReport() {
    Random r = new Random(6);
    double[][] folds = new double[4][60];
    for (int f = 0; f < 4; f++) {
      for (int e = 0; e < 60; e++) {
        folds[f][e] = 2.5 + 12 * Math.exp(-(e + 1) / 8.0) + 0.2 * r.nextGaussian();
      }
    }
    CvCurves c = CvCurves.of(folds, 0.9, 10);
    Map<String, byte[]> files = CvReport.builder("cv <4>").curves(c).smoothing(0.9).jobText("<script>").build();
    Document doc = checkFiles(files, Set.of("cv.png"));
    String table = doc.getElementsByTagName("table").item(0).getTextContent();
    assertTrue(table.contains("best smoothed epoch" + c.bestEpoch()), table);
    assertEquals(0, doc.getElementsByTagName("script").getLength());
  }
}
