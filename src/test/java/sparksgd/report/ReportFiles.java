package sparksgd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Test helpers: decode a PNG, parse a report (its markup is well-formed XML), list its images. */
final class ReportFiles {
  private ReportFiles() {}

  static BufferedImage decode(byte[] png) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(img, "bytes do not decode as an image");
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertChartSize(byte[] png) {
    assertEquals(0x89, png[0] & 0xff, "PNG signature");
    assertEquals('P', png[1]);
    BufferedImage img = decode(png);
    assertEquals(Charts.WIDTH, img.getWidth());
    assertEquals(Charts.HEIGHT, img.getHeight());
  }

  static Document parse(String html) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    } catch (Exception e) {
      throw new AssertionError("report.html is not well-formed: " + e.getMessage(), e);
    }
  }

  static List<String> imageSources(Document doc) {
    NodeList imgs = doc.getElementsByTagName("img");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < imgs.getLength(); i++) {
      out.add(((org.w3c.dom.Element) imgs.item(i)).getAttribute("src"));
    }
    return out;
  }
}
