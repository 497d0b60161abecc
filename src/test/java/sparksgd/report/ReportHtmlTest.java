package sparksgd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportHtmlTest {
  static final String EVIL = "</pre><script>alert('x')</script><img src=x onerror=\"alert(1)\"> & \"q\"";

  @Test
  void everyTextIsEscapedAndTheScriptStaysInert() {
    Map<String, Map<String, Double>> m = new LinkedHashMap<>();
    m.put("<b>train</b>", Map.of("m<s>e", 1.5));
    String html = ReportHtml.render("<script>t</script>", List.of(EVIL), m, EVIL,
        List.of(new ReportHtml.Figure("loss.png", EVIL)));
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("<b>"));
    assertFalse(html.contains("onerror=\""));
    Document doc = ReportFiles.parse(html);
    assertEquals(0, doc.getElementsByTagName("script").getLength());
    assertEquals(0, doc.getElementsByTagName("b").getLength());
    assertEquals(List.of("loss.png"), ReportFiles.imageSources(doc)); // the job text's <img> is text, not an image
    // the configuration comes back verbatim once the markup is read
    assertEquals(EVIL, doc.getElementsByTagName("pre").item(0).getTextContent());
    assertEquals("<script>t</script>", doc.getElementsByTagName("h1").item(0).getTextContent());
  }

  @Test
  void noExternalResources() {
    String html = ReportHtml.render("t", Map.of("test", Map.of("mae", 2.0)), "a = 1",
        List.of(new ReportHtml.Figure("a.png", "A"), new ReportHtml.Figure("b.png", "B")));
    assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<link")
        || html.contains("<script"), html);
    Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
    List<String> found = new java.util.ArrayList<>();
    while (src.find()) {
      found.add(src.group(1));
    }
    assertEquals(List.of("a.png", "b.png"), found);
  }

  @Test
  void summaryTableHasOneRowPerMetricAndADashForGaps() {
    Map<String, Map<String, Double>> m = new LinkedHashMap<>();
    Map<String, Double> train = new LinkedHashMap<>();
    train.put("mse", 21.0);
    train.put("r2", 0.87123456);
    m.put("train", train);
    Map<String, Double> test = new LinkedHashMap<>();
    test.put("mse", Double.NaN);
    test.put("mae", 2.5);
    m.put("test", test);
    Document doc = ReportFiles.parse(ReportHtml.render("t", m, null, List.of()));
    assertEquals(4, doc.getElementsByTagName("tr").getLength()); // header + mse, r2, mae
    String text = doc.getElementsByTagName("table").item(0).getTextContent();
    assertTrue(text.contains("21"), text);
    assertTrue(text.contains("0.871235"), text);
    assertTrue(text.contains("\u2013"), text);
    assertEquals(0, doc.getElementsByTagName("pre").getLength()); // no job text, no section
  }

  @Test
  void numbersAreShortAndExact() {
    assertEquals("500", ReportHtml.format(500.0));
    assertEquals("2.54818", ReportHtml.format(2.548181));
    assertEquals("1.23457e-07", ReportHtml.format(1.234567e-7));
    assertEquals("\u2013", ReportHtml.format(null));
  }

  @Test
  void figureNamesMustBePlainFilesBesideTheReport() {
    for (String bad : List.of("../x.png", "/etc/x.png", "javascript:alert(1)", "a b.png", "", "sub/x.png", "a..png")) {
      assertThrows(IllegalArgumentException.class, () -> new ReportHtml.Figure(bad, "c"), bad);
    }
    new ReportHtml.Figure("val_mae.png", null);
  }
}
