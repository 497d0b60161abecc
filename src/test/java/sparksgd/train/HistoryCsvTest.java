package sparksgd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** history.csv's column names are a contract (README, "Outputs"): one header per headline metric. */
class HistoryCsvTest {
  @Test
  void theHeadlineMetricNamesTheValidationAndTestColumns() {
    assertEquals("epoch,train_loss,validation_loss,validation_mae,test_loss,test_mae,learning_rate,seconds",
        HistoryCsv.header(Metric.MAE));
    assertEquals("epoch,train_loss,validation_loss,validation_accuracy,test_loss,test_accuracy,learning_rate,"
        + "seconds", HistoryCsv.header(Metric.ACCURACY));
  }

  @Test
  void rowsRoundTripWithEmptyCellsForAbsentSplits() {
    List<EpochRecord> rows = List.of(new EpochRecord(1, 0.5, 0.6, 0.75, Double.NaN, Double.NaN, 0.01, 1.25),
        new EpochRecord(2, 0.4, 0.5, 0.8, Double.NaN, Double.NaN, 0.01, 1.0));
    String csv = HistoryCsv.render(rows, Metric.ACCURACY);
    assertTrue(csv.contains("\n1,0.5,0.6,0.75,,,0.01,1.2500\n"), csv);
    List<EpochRecord> back = HistoryCsv.parse(csv);
    assertEquals(2, back.size());
    assertEquals(0.8, back.get(1).validationMetric());
    assertTrue(Double.isNaN(back.get(1).testMetric()));
  }

  @Test
  void theHeadlineIsAccuracyForClassifiersAndMaeOtherwise() {
    assertTrue(Metric.ACCURACY.higherIsBetter());
    assertTrue(Metric.MAE.improves(0.9, 1.0, 0.05));
    assertTrue(!Metric.MAE.improves(0.97, 1.0, 0.05));
    assertTrue(Metric.ACCURACY.improves(0.9, 0.8, 0.05));
    assertEquals(Metric.F1, Metric.ofKey("f1"));
  }
}
