package sparksgd.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sparksgd.store.RunFolder;
import java.util.List;
import sparksgd.job.JobSpec;
import sparksgd.train.CrossValidation;
import sparksgd.train.CvCurves;

/** Writes a cross-validation's {@code cv.json} and {@code cv_history.csv}. */
public final class CvFiles {
  private CvFiles() {}

  /** {@code metric}: the folds' validation metric (mae, or accuracy for classifiers), named in every key. */
  public static void write(RunFolder run, JobSpec job, List<CrossValidation.FoldResult> results, CvCurves c,
      String metric) {
    ObjectNode root = RunFolder.MAPPER.createObjectNode();
    root.put("folds", job.cv().folds());
    root.put("shuffle", job.cv().shuffle());
    root.put("seed", job.training().seed());
    root.put("epochs", c.mean().length);
    root.put("metric", "validation_" + metric);
    root.put("smoothing", job.cv().smoothing());
    root.put("skip", c.skip());
    root.put("best_epoch", c.bestEpoch());
    root.put("best_smoothed_" + metric, c.bestScore());
    root.put("final_mean_" + metric, c.mean()[c.mean().length - 1]);
    root.put("final_std_" + metric, c.std()[c.std().length - 1]);
    ArrayNode folds = root.putArray("fold_results");
    for (CrossValidation.FoldResult r : results) {
      ObjectNode f = folds.addObject();
      f.put("fold", r.fold() + 1);
      f.put("seconds", r.seconds());
      f.set("validation", RunFolder.MAPPER.valueToTree(r.validation()));
    }
    run.writeText("cv.json", RunFolder.pretty(root));

    StringBuilder sb = new StringBuilder("epoch");
    for (int f = 0; f < c.folds().length; f++) {
      sb.append(",fold").append(f + 1).append("_val_").append(metric);
    }
    sb.append(",mean_val_").append(metric).append(",std_val_").append(metric).append(",smoothed_val_")
        .append(metric).append('\n');
    for (int e = 0; e < c.mean().length; e++) {
      sb.append(e + 1);
      for (double[] fold : c.folds()) {
        sb.append(',').append(fold[e]);
      }
      sb.append(',').append(c.mean()[e]).append(',').append(c.std()[e]).append(',')
          .append(Double.isNaN(c.smoothed()[e]) ? "" : Double.toString(c.smoothed()[e])).append('\n');
    }
    run.writeText("cv_history.csv", sb.toString());
  }
}
