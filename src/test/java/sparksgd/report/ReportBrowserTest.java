package sparksgd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlImage;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparksgd.train.CvCurves;

/**
 * The reports opened in a headless browser (HtmlUnit), from files on disk as a person opens them: every
 * picture loads and decodes at the charts' size, the tables a reader looks for are there.
 */
class ReportBrowserTest {
  @TempDir Path dir;

  private HtmlPage open(Map<String, byte[]> files) throws Exception {
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.write(dir.resolve(f.getKey()), f.getValue());
    }
    WebClient browser = new WebClient(BrowserVersion.FIREFOX);
    browser.getOptions().setJavaScriptEnabled(false);
    browser.getOptions().setCssEnabled(true);
    return browser.getPage(dir.resolve("report.html").toUri().toURL());
  }

  private static void assertEveryImageLoads(HtmlPage page, int expected) throws Exception {
    List<HtmlImage> images = page.getByXPath("//img");
    assertEquals(expected, images.size());
    for (HtmlImage img : images) {
      assertEquals(Charts.WIDTH, img.getWidth(), img.getSrcAttribute() + " decodes at the chart's width");
      assertEquals(Charts.HEIGHT, img.getHeight(), img.getSrcAttribute());
      assertFalse(img.getAltAttribute().isBlank(), "every picture has a text alternative");
    }
  }

  @Test
  void regressionReportShowsItsChartsAndSummary() throws Exception {
    Random r = new Random(5);
    double[] actual = new double[100];
    double[] predicted = new double[100];
    for (int i = 0; i < 100; i++) {
      actual[i] = 5 + 45 * r.nextDouble();
      predicted[i] = actual[i] + 2 * r.nextGaussian();
    }
    HtmlPage page = open(RunReport.builder("boston-mlp").history(ChartsTest.history(50, true, true))
        .lossLabel("MSE loss").label(ChartsTest.MEDV).testPredictions(predicted, actual)
        .metrics(Map.of("test", Map.of("mae", 2.3))).note("started 2026-12-03T12:00:00Z, took 5.1 s").build());
    assertEquals("boston-mlp", page.getTitleText());
    assertEveryImageLoads(page, 4);
    assertTrue(page.asNormalizedText().contains("started 2026-12-03T12:00:00Z, took 5.1 s"));
    HtmlTable summary = page.getFirstByXPath("//table");
    assertEquals("2.3", summary.getCellAt(1, 1).asNormalizedText());
  }

  @Test
  void classifierReportShowsItsConfusionMatrix() throws Exception {
    HtmlPage page = open(RunReport.builder("breast-cancer").metric("accuracy")
        .history(ChartsTest.history(20, true, false))
        .confusionMatrix(new ConfusionTable(new long[][] {{40, 3}, {2, 69}}, List.of("malignant", "benign")))
        .build());
    assertEveryImageLoads(page, 2);
    HtmlTable confusion = page.getFirstByXPath("//table[@class='confusion']");
    assertEquals("malignant", confusion.getCellAt(1, 0).asNormalizedText());
    assertEquals("40", confusion.getCellAt(1, 1).asNormalizedText());
    assertEquals("69", confusion.getCellAt(2, 2).asNormalizedText());
    // recall of the actual class: 69 of 71 benign rows
    assertEquals(69.0 / 71, Double.parseDouble(confusion.getCellAt(2, 3).asNormalizedText()), 1e-5);
  }

  @Test
  void crossValidationReportShowsItsChart() throws Exception {
    CvCurves c = CvCurves.of(ChartsTest.foldCurves(4, 60), 0.9, 10);
    HtmlPage page = open(CvReport.builder("boston cv").curves(c).smoothing(0.9).label(ChartsTest.MEDV).build());
    assertEveryImageLoads(page, 1);
    assertTrue(page.asNormalizedText().contains("Charts"));
  }
}
