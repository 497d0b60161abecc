package sparksgd.cli;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sparksgd.engine.SparkSessions;
import sparksgd.store.HadoopFiles;
import sparksgd.train.Scoring;
import sparksgd.train.TrainedModel;

/** {@code predict --model DIR --input FILE --output FILE}: the input's rows plus a prediction column. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict with a trained model: writes the input's columns plus 'prediction' as one CSV file "
        + "(LibSVM input: label,prediction). "
        + "Inputs are normalized with the model's saved training statistics; scoring is distributed.")
final class PredictCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  ModelOptions options;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Output CSV (local path or Hadoop URI).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output file.")
  boolean overwrite;

  @Override
  public Integer call() {
    Preflight.outputFile(output, overwrite);
    Preflight.modelFolder(options.model);
    Preflight.input(options.input);
    options.libsvm(); // a bad --format before Spark starts
    JavaSparkContext jsc = SparkSessions.context(options.spark(), options.master);
    Configuration conf = jsc.hadoopConfiguration();
    Path out = HadoopFiles.path(output);
    if (HadoopFiles.exists(conf, out) && !overwrite) {
      throw new UserFacingException(ExitCodes.USAGE, "output " + output + " exists; pass --overwrite");
    }
    TrainedModel model = options.load(conf);
    Scoring.Input in = Scoring.read(jsc, model, options.input, options.delimiter, null, options.libsvm());
    // Parts are written by the executors, then joined into one file on the driver by streaming.
    Path parts = new Path(out.getParent() == null ? new Path(".") : out.getParent(),
        "." + out.getName() + ".parts-" + java.util.UUID.randomUUID());
    try {
      Scoring.predictLines(in, model, options.delimiter).saveAsTextFile(parts.toString());
      List<Path> files = new ArrayList<>();
      for (FileStatus f : HadoopFiles.list(conf, parts)) {
        if (f.getPath().getName().startsWith("part-")) {
          files.add(f.getPath());
        }
      }
      files.sort(null);
      String header = in.header() + options.delimiter + "prediction\n";
      HadoopFiles.writeAtomically(conf, out, os -> {
        os.write(header.getBytes(StandardCharsets.UTF_8));
        for (Path p : files) {
          try (InputStream is = new BufferedInputStream(HadoopFiles.open(conf, p))) {
            is.transferTo(os);
          }
        }
      });
    } finally {
      HadoopFiles.delete(conf, parts, true);
    }
    spec.commandLine().getOut().println("predictions: " + HadoopFiles.qualify(conf, out));
    return ExitCodes.OK;
  }
}
