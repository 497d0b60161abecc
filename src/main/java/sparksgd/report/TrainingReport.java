package sparksgd.report;

import java.util.List;
import sparksgd.data.Split;
import sparksgd.store.RunFolder;
import sparksgd.train.TestPredictions;
import sparksgd.train.TrainingJob;

/** A training run's report.html and charts; the prediction charts use at most 20,000 test rows. */
public final class TrainingReport {
  private TrainingReport() {}

  /** {@code notes}: paragraphs under the title (when the run happened, where its time went). */
  public static void write(RunFolder run, TrainingJob.Outcome o, List<String> notes) {
    boolean classification = o.job().model().classification();
    double[][] pa = classification || o.data().rows(Split.TEST) == 0 ? null
        : TestPredictions.of(o.data(), o.model(), Split.TEST, 20_000, o.cached());
    ConfusionTable confusion = null;
    if (classification && !o.rawRows() && o.data().rows(Split.TEST) > 0) {
      long[][] counts = TestPredictions.confusion(o.data(), o.model(), Split.TEST);
      List<String> names = new java.util.ArrayList<>();
      for (int c = 0; c < counts.length; c++) {
        names.add(o.job().data().label() + " = " + c);
      }
      confusion = new ConfusionTable(counts, names);
    }
    RunReport.builder("spark-sgd: " + o.job().name())
        .label(LabelUnit.of(o.job().data().train(), o.job().data().label()))
        .confusionMatrix(confusion)
        .history(o.history())
        .metric(o.metric().key())
        .lossLabel(o.job().model().loss() + " loss")
        .testPredictions(pa == null ? null : pa[0], pa == null ? null : pa[1])
        .metrics(o.metricsBySplit())
        .jobText(o.job().resolvedHocon())
        .keptEpoch(o.result().stoppedEpoch() > 0 ? o.result().keptEpoch() : 0)
        .notes(notes)
        .build()
        .forEach(run::writeBytes);
  }
}
