package sparksgd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparksgd.model.RegressionMetrics;
import sparksgd.engine.SparkSessions;
import sparksgd.store.HadoopFiles;
import sparksgd.train.ClassifierScores;
import sparksgd.train.Scoring;
import sparksgd.train.TrainedModel;

/** {@code evaluate --model DIR --input FILE}: metrics of a trained model on labelled rows. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a trained model on labelled CSV or LibSVM rows (the label column is required): MSE, MAE, RMSE "
        + "and R2 for regression; accuracy, log loss, F1 (binary; macro-F1 for more classes) and the confusion "
        + "matrix for classifiers. Prints the metrics as JSON and writes them to --output, saying where.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions options;

  @Option(names = "--output", paramLabel = "FILE", description = "Where to write the metrics JSON "
      + "(default: evaluation.json in the working directory).", defaultValue = "evaluation.json")
  String output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--weight", paramLabel = "COLUMN", description = "Sample-weight column (finite, >= 0), as "
      + "data.weight in training: the metrics are weighted means (default: every row weighs 1; regression "
      + "models).")
  String weight;

  @Override
  public Integer call() throws Exception {
    Preflight.modelFolder(options.model);
    Preflight.input(options.input);
    boolean libsvm = options.libsvm(); // a bad --format before Spark starts
    if (weight != null && libsvm) {
      throw new UserFacingException(ExitCodes.USAGE, "evaluate --weight needs named columns (CSV); LibSVM rows have none");
    }
    JavaSparkContext jsc = SparkSessions.context(options.spark(), options.master);
    Configuration conf = jsc.hadoopConfiguration();
    TrainedModel model = options.load(conf);
    if (weight != null && !model.loss().name().equals("mse")) {
      throw new UserFacingException(ExitCodes.USAGE, "evaluate --weight supports regression models for now (this "
          + "model's loss is " + model.loss().name() + ")");
    }
    Scoring.Input in = Scoring.read(jsc, model, options.input, options.delimiter, weight, libsvm);
    if (!in.hasLabel()) {
      throw new sparksgd.data.DataException(options.input, 1, model.label(), "missing label column: evaluate needs labels");
    }
    Map<String, ?> metrics = model.loss().name().equals("mse")
        ? RegressionMetrics.summary(Scoring.metrics(in, model, options.delimiter))
        : ClassifierScores.of(in, model, options.delimiter).toMap();
    String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(metrics) + "\n";
    HadoopFiles.writeStringAtomically(conf, HadoopFiles.path(output), json);
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.print(json);
    out.println("metrics written to " + HadoopFiles.qualify(conf, HadoopFiles.path(output)));
    out.flush();
    return ExitCodes.OK;
  }
}
