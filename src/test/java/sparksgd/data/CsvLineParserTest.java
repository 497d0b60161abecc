package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineParserTest {
  private static final String[] HEADER = {"a", "b", "y"};
  private static final CsvSchema SCHEMA = CsvSchema.map("f.csv", HEADER, List.of("a", "b"), "y", true);

  private static DataException bad(String line) {
    return assertThrows(DataException.class, () -> CsvLineParser.parse(SCHEMA, 7, line, ','));
  }

  @Test
  void parsesNumbersInJobOrderWithLabelLast() {
    assertArrayEquals(new double[] {1.5, -2e3, 4}, CsvLineParser.parse(SCHEMA, 2, "1.5,-2e3,4", ','));
    assertArrayEquals(new double[] {1, 2, 3}, CsvLineParser.parse(SCHEMA, 2, " 1 , \"2\" ,3\r", ','));
    assertArrayEquals(new double[] {0.5, 5, 1e-7}, CsvLineParser.parse(SCHEMA, 2, ".5,5.,1E-7", ','));
  }

  @Test
  void columnsAreMatchedByName() {
    CsvSchema reordered = CsvSchema.map("g.csv", new String[] {"y", "b", "a"}, List.of("a", "b"), "y", true);
    assertArrayEquals(new double[] {3, 2, 1}, CsvLineParser.parse(reordered, 2, "1,2,3", ','));
  }

  @Test
  void everyBadCellNamesFileLineAndColumn() {
    DataException e = bad("1,abc,3");
    assertEquals("f.csv", e.file());
    assertEquals(7, e.line());
    assertEquals("b", e.column());
    assertTrue(e.getMessage().startsWith("f.csv:7, column 'b': not a number: 'abc'"), e.getMessage());
    assertEquals("y", bad("1,2,").column());
    assertTrue(bad("1,2,").getMessage().contains("empty value"));
    assertEquals("a", bad("NaN,2,3").column());
    assertEquals("b", bad("1,Infinity,3").column());
    assertTrue(bad("1,1e999,3").getMessage().contains("not a finite number"));
    assertEquals("a", bad("0x1p3,2,3").column());
  }

  @Test
  void shortAndLongRowsAreRefusedWithTheArity() {
    DataException shortRow = bad("1,2");
    assertEquals("y", shortRow.column());
    assertTrue(shortRow.getMessage().contains("expected 3 values like the header, found 2"));
    DataException longRow = bad("1,2,3,4");
    assertTrue(longRow.getMessage().contains("found 4"));
  }

  @Test
  void binaryGarbageIsNotANumberAndPrintsSafely() {
    DataException e = bad("x\u0001\uFFFDy,2,3");
    assertTrue(e.getMessage().contains("not a number: 'x??y'"), e.getMessage());
  }

  @Test
  void headerIsCleanedAndDuplicatesRefused() {
    assertArrayEquals(new String[] {"a", "b"}, CsvSchema.parseHeader("f", "\uFEFF\"a\", b\r", ','));
    DataException dup = assertThrows(DataException.class, () -> CsvSchema.parseHeader("f", "a,b,a", ','));
    assertEquals("a", dup.column());
    assertEquals(1, dup.line());
    assertThrows(DataException.class, () -> CsvSchema.parseHeader("f", "a,,b", ','));
  }

  @Test
  void missingColumnsAreNamed() {
    DataException noLabel = assertThrows(DataException.class,
        () -> CsvSchema.chooseFeatures("f", HEADER, "MEDV", List.of(), List.of()));
    assertTrue(noLabel.getMessage().contains("no label column named 'MEDV'"));
    DataException noFeature = assertThrows(DataException.class,
        () -> CsvSchema.map("g", new String[] {"a", "y"}, List.of("a", "b"), "y", true));
    assertEquals("b", noFeature.column());
    assertEquals(List.of("a"), CsvSchema.chooseFeatures("f", HEADER, "y", List.of(), List.of("b")));
  }
}
