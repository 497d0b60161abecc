package sparksgd.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.CategoricalEncoder;
import sparksgd.data.CategoricalFormat;
import sparksgd.data.CsvSchema;
import sparksgd.data.DataException;
import sparksgd.data.DelimitedFormat;
import sparksgd.data.LibSvmFormat;
import sparksgd.data.LineFormat;
import sparksgd.data.Source;
import sparksgd.data.SourceLine;
import sparksgd.engine.Combine;
import sparksgd.model.RegressionMetrics;

/**
 * Applies a trained model to new CSV or LibSVM rows, distributed: CSV inputs are matched by column name in
 * any order (categorical columns encoded as in training), normalized with the saved training statistics,
 * scored in blocks (LibSVM and one-hot rows of a sparse model as CSR blocks); nothing is collected to the
 * driver but metric sums.
 */
public final class Scoring {
  private static final int CHUNK = 1024;

  /**
   * Input rows parsed against the model's columns, with their original text kept for the output: {@code format}
   * turns a line into a dense row {@code [features..., (weight,) label]} or, when {@code sparse}, a sparse row
   * {@code [c0, v0, ..., label]}; {@code libsvm} input has no header ({@code header} is then {@code label}).
   */
  public record Input(List<Source> sources, CsvSchema[] schemas, String header, JavaRDD<SourceLine> lines,
      boolean hasLabel, LineFormat format, boolean sparse, boolean libsvm, boolean weighted) {}

  private Scoring() {}

  public static Input read(JavaSparkContext jsc, TrainedModel model, String uri, char delimiter) {
    return read(jsc, model, uri, delimiter, null);
  }

  /** As above; {@code weight} names a sample-weight column every file must have (evaluate --weight), or null. */
  public static Input read(JavaSparkContext jsc, TrainedModel model, String uri, char delimiter, String weight) {
    return read(jsc, model, uri, delimiter, weight, false);
  }

  /**
   * As above; {@code libsvm}: LibSVM lines ({@code label index:value ...}, indices 1..the model's inputs), kept
   * sparse for a model trained sparse (its statistics never shift a feature), else read densely. A model with
   * categorical columns ({@link TrainedModel#encoding}) reads CSV cells by name and encodes them as in training.
   */
  public static Input read(JavaSparkContext jsc, TrainedModel model, String uri, char delimiter, String weight,
      boolean libsvm) {
    Configuration conf = jsc.hadoopConfiguration();
    List<Source> sources = Source.resolve(uri, conf);
    boolean sparse = !model.stats().centered() && weight == null; // sparse rows carry no weight
    if (libsvm) {
      for (Source s : sources) {
        s.firstLine(conf); // an empty file is an error, as in training
      }
      String[] files = sources.stream().map(Source::display).toArray(String[]::new);
      LibSvmFormat format = new LibSvmFormat(files, model.features().size(), sparse);
      JavaRDD<SourceLine> lines = sparksgd.data.TrainingDataLoader.numberedLines(jsc, sources, 2, false);
      return new Input(sources, null, "label", lines, true, format, sparse, true, false);
    }
    CategoricalEncoder encoding = model.encoding();
    List<String> numeric = encoding == null ? model.features() : encoding.numeric();
    CsvSchema[] schemas = new CsvSchema[sources.size()];
    int[][] categorical = new int[sources.size()][];
    String header = null;
    boolean hasLabel = true;
    for (int i = 0; i < sources.size(); i++) {
      String first = sources.get(i).firstLine(conf);
      String file = sources.get(i).display();
      String[] names = CsvSchema.parseHeader(file, first, delimiter);
      schemas[i] = CsvSchema.map(file, names, numeric, model.label(), false, weight);
      if (encoding != null) {
        categorical[i] = new int[encoding.columns().size()];
        for (int c = 0; c < categorical[i].length; c++) {
          categorical[i][c] = List.of(names).indexOf(encoding.columns().get(c));
          if (categorical[i][c] < 0) {
            throw new DataException(file, 1, encoding.columns().get(c), "missing categorical column of the model");
          }
        }
      }
      hasLabel &= schemas[i].labelIndex() >= 0;
      if (header == null) {
        header = first.startsWith("\uFEFF") ? first.substring(1) : first;
        header = header.endsWith("\r") ? header.substring(0, header.length() - 1) : header;
      }
    }
    boolean rowsSparse = encoding != null && sparse;
    LineFormat format = encoding == null ? new DelimitedFormat(schemas, delimiter, false)
        : new CategoricalFormat(schemas, categorical, delimiter, false, encoding, rowsSparse);
    JavaRDD<SourceLine> lines = sparksgd.data.TrainingDataLoader.numberedLines(jsc, sources, 2, true);
    return new Input(sources, schemas, header, lines, hasLabel, format, rowsSparse, false, weight != null);
  }

  /** Every input line with {@code ,prediction} appended, in input order. */
  public static JavaRDD<String> predictLines(Input in, TrainedModel model, char delimiter) {
    LineFormat format = in.format();
    boolean sparse = in.sparse();
    boolean libsvm = in.libsvm();
    return in.lines().mapPartitions(it -> score(it, format, sparse, libsvm, model, delimiter).iterator());
  }

  /**
   * Regression metric sums ({@link RegressionMetrics}) over rows that have a label; weighted sums when the
   * input was read with a weight column (rows {@code [features..., weight, label]}).
   */
  public static double[] metrics(Input in, TrainedModel model, char delimiter) {
    LineFormat format = in.format();
    boolean sparse = in.sparse();
    boolean weighted = in.weighted();
    CsvSchema[] schemas = in.schemas();
    List<double[]> parts = in.lines().mapPartitions(it -> {
      double[] acc = new double[RegressionMetrics.WIDTH];
      List<double[]> rows = new ArrayList<>();
      List<Double> labels = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      while (it.hasNext() || !rows.isEmpty()) {
        if (it.hasNext()) {
          SourceLine l = it.next();
          double[] v = format.parse(l);
          double w = 1;
          if (weighted) {
            CsvSchema schema = schemas[l.source()];
            w = v[v.length - 2];
            if (!(w >= 0)) {
              throw new DataException(schema.file(), l.line(), schema.names()[schema.weightIndex()],
                  "sample weights must be >= 0 (got " + w + ")");
            }
          }
          rows.add(v);
          labels.add(v[v.length - 1]);
          weights.add(w);
        }
        if (rows.size() == CHUNK || (!it.hasNext() && !rows.isEmpty())) {
          double[] p = RowScorer.predictions(model, rows, sparse);
          for (int r = 0; r < p.length; r++) {
            double y = labels.get(r);
            double yNorm = (y - model.stats().labelShift()) / model.stats().labelScale();
            double pNorm = (p[r] - model.stats().labelShift()) / model.stats().labelScale();
            double loss = (pNorm - yNorm) * (pNorm - yNorm);
            if (weighted) {
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

  private static List<String> score(Iterator<SourceLine> it, LineFormat format, boolean sparse, boolean libsvm,
      TrainedModel model, char delimiter) {
    List<String> out = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    while (it.hasNext() || !rows.isEmpty()) {
      if (it.hasNext()) {
        SourceLine l = it.next();
        double[] v = format.parse(l);
        rows.add(v);
        String t = l.text();
        // LibSVM rows are not CSV: the output row is the label, then the prediction
        texts.add(libsvm ? String.valueOf(v[v.length - 1]) : t.endsWith("\r") ? t.substring(0, t.length() - 1) : t);
      }
      if (rows.size() == CHUNK || (!it.hasNext() && !rows.isEmpty())) {
        double[] p = RowScorer.predictions(model, rows, sparse);
        for (int r = 0; r < p.length; r++) {
          out.add(texts.get(r) + delimiter + p[r]);
        }
        rows.clear();
        texts.clear();
      }
    }
    return out;
  }
}
