package sparksgd.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The encoder alone: slot order, dense and sparse rows, hash collisions, and vocabulary.json round trips. */
class CategoricalEncoderTest {
  static final CategoricalEncoder VOCAB = CategoricalEncoder.learned(List.of("x"), List.of("rad", "town"),
      List.of(Map.of("24", 5L, "3", 2L, "10", 1L), Map.of("b", 4L, "a", 1L)));

  @Test
  void numericValuesSortAsNumbersAndUnseenOnesGoToOther() {
    assertEquals(List.of("3", "10", "24"), VOCAB.vocabulary(0));
    assertEquals(List.of("x", "rad=3", "rad=10", "rad=24", "rad=<other>", "town=a", "town=b", "town=<other>"),
        VOCAB.featureNames());
    assertEquals(8, VOCAB.width());
    assertEquals(4, VOCAB.slot(0, "7"));
    assertEquals(4, VOCAB.slot(0, "3.0"), "cells are text: 3.0 is not 3");
  }

  @Test
  void rowsAreDenseOrSparseWithTheLabelLast() {
    double[] numeric = {2.5, 9}; // x, then the label
    assertArrayEquals(new double[] {2.5, 0, 0, 1, 0, 0, 0, 1, 9}, VOCAB.encode(numeric, new String[] {"24", "z"},
        false));
    assertArrayEquals(new double[] {0, 2.5, 3, 1, 7, 1, 9}, VOCAB.encode(numeric, new String[] {"24", "z"}, true));
    assertArrayEquals(new double[] {1, 1, 5, 1, 9}, VOCAB.encode(new double[] {0, 9}, new String[] {"3", "a"}, true),
        "a zero numeric value is left out of a sparse row");
    double[] weighted = VOCAB.encode(new double[] {1, 0.5, 9}, new String[] {"3", "a"}, false);
    assertArrayEquals(new double[] {0.5, 9}, new double[] {weighted[8], weighted[9]}, "weight then label");
  }

  @Test
  void hashCollisionsWithinARowAddUp() {
    CategoricalEncoder h = CategoricalEncoder.hashed(List.of(), List.of("a", "b"), 1);
    String other = null;
    for (int i = 0; other == null; i++) { // with 2 slots a colliding value turns up at once
      if (h.slot(1, "v" + i) == h.slot(0, "u")) {
        other = "v" + i;
      }
    }
    int s = h.slot(0, "u");
    assertArrayEquals(new double[] {s, 2, 7}, h.encode(new double[] {7}, new String[] {"u", other}, true));
    double[] dense = h.encode(new double[] {7}, new String[] {"u", other}, false);
    assertEquals(2, dense[s]);
  }

  @Test
  void vocabularyJsonRoundTrips() {
    CategoricalEncoder back = CategoricalEncoder.fromJson(VOCAB.toJson());
    assertEquals(VOCAB.featureNames(), back.featureNames());
    assertEquals(VOCAB.slot(1, "b"), back.slot(1, "b"));
    CategoricalEncoder hashed = CategoricalEncoder.fromJson(CategoricalEncoder.hashed(List.of("x"), List.of("c"), 6)
        .toJson());
    assertEquals(65, hashed.width());
    assertEquals(1 + CategoricalEncoder.hashSlot("c=q", 6), hashed.slot(0, "q"));
    var bad = (com.fasterxml.jackson.databind.node.ObjectNode) VOCAB.toJson();
    bad.put("encoding", "magic");
    assertThrows(IllegalArgumentException.class, () -> CategoricalEncoder.fromJson(bad));
  }
}
