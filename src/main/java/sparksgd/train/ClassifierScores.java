package sparksgd.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sparksgd.data.LineFormat;
import sparksgd.data.DataException;
import sparksgd.data.Source;
import sparksgd.data.SourceLine;

/**
 * A classifier's scores on labelled rows (the {@code evaluate} command): a confusion matrix (rows: the
 * actual class, columns: the predicted one) and the summed log loss, from which accuracy, log loss and F1
 * follow: the positive class's F1 for a binary model, the macro average (each class weighs the same)
 * for more classes.
 */
public record ClassifierScores(long[][] confusion, double lossSum) {
  private static final int CHUNK = 1024;

  /** Scores {@code model} on every row of {@code in}; a label that is not a class of the model is bad data. */
  public static ClassifierScores of(Scoring.Input in, TrainedModel model, char delimiter) {
    List<Source> sources = in.sources();
    LineFormat format = in.format(); // locals: the closure must not hold the input's RDD
    boolean sparse = in.sparse();
    int classes = Math.max(2, model.model().outputs());
    // Sums travel as plain arrays (records do not pass Spark's Kryo): the counts row by row, then the loss.
    List<double[]> parts = in.lines().mapPartitions(
        (Iterator<SourceLine> it) -> List.of(part(it, format, sparse, sources, model, classes)).iterator())
        .collect();
    long[][] confusion = new long[classes][classes];
    double loss = 0;
    for (double[] p : parts) { // partition order: the same sum every time
      for (int a = 0; a < classes; a++) {
        for (int b = 0; b < classes; b++) {
          confusion[a][b] += (long) p[a * classes + b];
        }
      }
      loss += p[classes * classes];
    }
    return new ClassifierScores(confusion, loss);
  }

  private static double[] part(Iterator<SourceLine> it, LineFormat format, boolean sparse, List<Source> sources,
      TrainedModel model, int classes) {
    double[] sums = new double[classes * classes + 1];
    List<double[]> rows = new ArrayList<>();
    List<SourceLine> lines = new ArrayList<>();
    int k = model.model().outputs();
    while (it.hasNext() || !rows.isEmpty()) {
      if (it.hasNext()) {
        SourceLine l = it.next();
        rows.add(format.parse(l));
        lines.add(l);
      }
      if (rows.size() == CHUNK || (!it.hasNext() && !rows.isEmpty())) {
        double[] y = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
          double[] v = rows.get(r);
          y[r] = classOf(v[v.length - 1], classes, sources.get(lines.get(r).source()), lines.get(r).line(),
              model.label());
        }
        double[] z = RowScorer.logits(model, rows, sparse);
        sums[classes * classes] += model.loss().loss(z, 0, y, 0, rows.size(), k, 1);
        for (int r = 0; r < rows.size(); r++) {
          sums[(int) y[r] * classes + sparksgd.model.ClassificationMetrics.predictedClass(z, r * k, k)]++;
        }
        rows.clear();
        lines.clear();
      }
    }
    return sums;
  }

  private static double classOf(double label, int classes, Source source, long line, String column) {
    if (label != Math.rint(label) || label < 0 || label >= classes) {
      throw new DataException(source.display(), line, column, "label " + label + " is not a class of this model "
          + "(0 to " + (classes - 1) + ")");
    }
    return label;
  }

  public long rows() {
    long n = 0;
    for (long[] row : confusion) {
      for (long c : row) {
        n += c;
      }
    }
    return n;
  }

  /** evaluation.json: accuracy, logloss, f1, rows and confusion_matrix. */
  public Map<String, Object> toMap() {
    int classes = confusion.length;
    long n = rows();
    long correct = 0;
    for (int c = 0; c < classes; c++) {
      correct += confusion[c][c];
    }
    double f1 = 0;
    if (classes == 2) {
      f1 = f1(1);
    } else {
      for (int c = 0; c < classes; c++) {
        f1 += f1(c) / classes;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", (double) correct / n);
    m.put("logloss", lossSum / n);
    m.put("f1", f1);
    m.put("rows", n);
    List<List<Long>> matrix = new ArrayList<>();
    for (long[] row : confusion) {
      matrix.add(java.util.Arrays.stream(row).boxed().toList());
    }
    m.put("confusion_matrix", matrix);
    return m;
  }

  /** Class {@code c}'s F1: 0 when it is never predicted and never the answer. */
  double f1(int c) {
    long tp = confusion[c][c];
    long predicted = 0;
    long actual = 0;
    for (int o = 0; o < confusion.length; o++) {
      predicted += confusion[o][c];
      actual += confusion[c][o];
    }
    return predicted + actual == 0 ? 0 : 2.0 * tp / (predicted + actual);
  }
}
