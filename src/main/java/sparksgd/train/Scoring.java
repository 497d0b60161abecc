package sparksgd.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.CsvLineParser;
import sparksgd.data.CsvSchema;
import sparksgd.data.Source;
import sparksgd.data.SourceLine;
import sparksgd.engine.Combine;
import sparksgd.model.RegressionMetrics;

/**
 * Applies a trained model to new CSV rows, distributed: inputs are matched by column name in any
 * order, normalized with the saved training statistics, scored in blocks; nothing is collected to the
 * driver but metric sums.
 */
public final class Scoring {
  private static final int CHUNK = 1024;

  /** Input rows parsed against the model's columns, with their original text kept for the output. */
  public record Input(List<Source> sources, CsvSchema[] schemas, String header, JavaRDD<SourceLine> lines,
      boolean hasLabel) {}

  private Scoring() {}

  public static Input read(JavaSparkContext jsc, TrainedModel model, String uri, char delimiter) {
    return read(jsc, model, uri, delimiter, null);
  }

  /** As above; {@code weight} names a sample-weight column every file must have (evaluate --weight), or null. */
  public static Input read(JavaSparkContext jsc, TrainedModel model, String uri, char delimiter, String weight) {
    Configuration conf = jsc.hadoopConfiguration();
    List<Source> sources = Source.resolve(uri, conf);
    CsvSchema[] schemas = new CsvSchema[sources.size()];
    String header = null;
    boolean hasLabel = true;
    for (int i = 0; i < sources.size(); i++) {
      String first = sources.get(i).firstLine(conf);
      String[] names = CsvSchema.parseHeader(sources.get(i).display(), first, delimiter);
      schemas[i] = CsvSchema.map(sources.get(i).display(), names, model.features(), model.label(), false, weight);
      hasLabel &= schemas[i].labelIndex() >= 0;
      if (header == null) {
        header = first.startsWith("\uFEFF") ? first.substring(1) : first;
        header = header.endsWith("\r") ? header.substring(0, header.length() - 1) : header;
      }
    }
    JavaRDD<SourceLine> lines = sparksgd.data.TrainingDataLoader.numberedLines(jsc, sources, 2, true);
    return new Input(sources, schemas, header, lines, hasLabel);
  }

  /** Every input line with {@code ,prediction} appended, in input order. */
  public static JavaRDD<String> predictLines(Input in, TrainedModel model, char delimiter) {
    CsvSchema[] schemas = in.schemas();
    return in.lines().mapPartitions(it -> score(it, schemas, model, delimiter).iterator());
  }

  /**
   * Regression metric sums ({@link RegressionMetrics}) over rows that have a label; weighted sums when the
   * input was read with a weight column (rows {@code [features..., weight, label]}).
   */
  public static double[] metrics(Input in, TrainedModel model, char delimiter) {
    CsvSchema[] schemas = in.schemas();
    List<double[]> parts = in.lines().mapPartitions(it -> {
      double[] acc = new double[RegressionMetrics.WIDTH];
      List<double[]> rows = new ArrayList<>();
      List<Double> labels = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      while (it.hasNext() || !rows.isEmpty()) {
        if (it.hasNext()) {
          SourceLine l = it.next();
          CsvSchema schema = schemas[l.source()];
          double[] v = CsvLineParser.parse(schema, l.line(), l.text(), delimiter);
          double w = 1;
          if (schema.weightIndex() >= 0) {
            w = v[v.length - 2];
            if (!(w >= 0)) {
              throw new sparksgd.data.DataException(schema.file(), l.line(), schema.names()[schema.weightIndex()],
                  "sample weights must be >= 0 (got " + w + ")");
            }
          }
          rows.add(v);
          labels.add(v[v.length - 1]);
          weights.add(w);
        }
        if (rows.size() == CHUNK || (!it.hasNext() && !rows.isEmpty())) {
          double[] p = predict(model, rows);
          for (int r = 0; r < p.length; r++) {
            double y = labels.get(r);
            double yNorm = (y - model.stats().labelShift()) / model.stats().labelScale();
            double pNorm = (p[r] - model.stats().labelShift()) / model.stats().labelScale();
            double loss = (pNorm - yNorm) * (pNorm - yNorm);
            if (schemas[0].weightIndex() >= 0) {
              RegressionMetrics.addWeighted(acc, p[r], y, loss, weights.get(r));
            } else {
              RegressionMetrics.add(acc, p[r], y, loss);
            }
          }
          rows.clear();
          labels.clear();
          weights.clear();
        }
      }
      return List.of(acc).iterator();
    }).collect();
    return Combine.sums(parts, RegressionMetrics.WIDTH); // regression models only, for now
  }

  private static List<String> score(Iterator<SourceLine> it, CsvSchema[] schemas, TrainedModel model,
      char delimiter) {
    List<String> out = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    while (it.hasNext() || !rows.isEmpty()) {
      if (it.hasNext()) {
        SourceLine l = it.next();
        rows.add(CsvLineParser.parse(schemas[l.source()], l.line(), l.text(), delimiter));
        String t = l.text();
        texts.add(t.endsWith("\r") ? t.substring(0, t.length() - 1) : t);
      }
      if (rows.size() == CHUNK || (!it.hasNext() && !rows.isEmpty())) {
        double[] p = predict(model, rows);
        for (int r = 0; r < p.length; r++) {
          out.add(texts.get(r) + delimiter + p[r]);
        }
        rows.clear();
        texts.clear();
      }
    }
    return out;
  }

  private static double[] predict(TrainedModel model, List<double[]> rows) {
    int d = model.features().size();
    double[] x = new double[rows.size() * d];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, x, r * d, d);
    }
    return model.predictRaw(x, rows.size());
  }
}
