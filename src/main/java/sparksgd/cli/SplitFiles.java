package sparksgd.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.Source;
import sparksgd.data.Split;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.DataSpec;
import sparksgd.job.JobSpec;
import sparksgd.store.RunFolder;

/**
 * {@code train --save-splits}: the run's held-out rows as the input had them ({@code splits/test.csv},
 * {@code splits/validation.csv}; the first input file's header first), so that
 * {@code evaluate --model RUN --input RUN/splits/test.csv} gives the run's test metrics. Only the
 * held-out rows reach the driver (a fifth of the data by default); a test file given as {@code data.test}
 * is its own split and is not copied.
 */
final class SplitFiles {
  private SplitFiles() {}

  static void write(JavaSparkContext jsc, JobSpec job, RunFolder folder, PrintWriter progress) {
    DataSpec data = job.data();
    String header = data.format() == DataSpec.Format.CSV && data.header()
        ? Source.resolve(data.train(), jsc.hadoopConfiguration()).get(0).firstLine(jsc.hadoopConfiguration()) : null;
    for (Split split : List.of(Split.TEST, Split.VALIDATION)) {
      if (split == Split.TEST && data.test() != null) {
        continue;
      }
      List<String> lines = new ArrayList<>(TrainingDataLoader.splitLines(jsc, data, job.training().seed(),
          job.training().partitions(), split).collect());
      if (lines.isEmpty()) {
        continue;
      }
      if (header != null) {
        lines.add(0, header);
      }
      String name = "splits/" + split.lower() + (data.format() == DataSpec.Format.LIBSVM ? ".libsvm" : ".csv");
      folder.writeText(name, String.join("\n", lines) + "\n");
      progress.println(split.lower() + " rows (" + (header == null ? lines.size() : lines.size() - 1) + "): "
          + folder.uri() + "/" + name);
    }
  }
}
