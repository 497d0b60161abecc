package sparksgd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import sparksgd.data.Folds;
import sparksgd.data.Split;
import sparksgd.data.TrainingData;
import sparksgd.data.TrainingDataLoader;
import sparksgd.job.JobLoader;
import sparksgd.sweep.AshaRunner;
import sparksgd.sweep.FoldScorer;
import sparksgd.sweep.Leaderboard;
import sparksgd.sweep.SweepFolder;
import sparksgd.sweep.SweepRunner;
import sparksgd.sweep.SweepSpec;
import sparksgd.sweep.Trial;
import sparksgd.sweep.TrialResult;
import sparksgd.train.StopSignal;
import sparksgd.train.TrainingRun;

/**
 * 5b. ASHA against the full sweep on the space of {@code jobs/boston-sweep-asha.conf} (64 settings around the
 * Keras model, 4-fold CV, 2 trials at a time), in the same Spark application and on the same cached rows:
 * wall time, fold-epochs trained, the best CV MAE each finds, and that setting's test MAE after retraining on
 * all training rows. Targets: ASHA's best within 0.03 of the full sweep's, at most 1/3 of its fold-epochs and
 * at most 1/2 of its wall time.
 */
final class AshaBench {
  /** {@code jobs/boston-mlp.conf} as a string (the bench needs no files); one partition per trial. */
  static final String KERAS_JOB = """
      data { train = "builtin:boston_housing.csv", label = MEDV, test-fraction = 0.2, normalize = standard }
      model { type = mlp, hidden = [64, 64], activation = relu, initializer = glorot-uniform }
      optimizer { type = rmsprop, learning-rate = 0.001, rho = 0.9, epsilon = 1e-7 }
      training { epochs = 80, batch-size = 16, seed = 42, partitions = 2 }
      """;
  /** The sweep, space and fixed sections of {@code jobs/boston-sweep-asha.conf} (a test keeps them equal). */
  static final String SWEEP = """
      sweep {
        base = boston-mlp.conf, folds = 4, metric = validation-mae, search = grid, parallelism = 2, scheduler = asha
        asha { grace-epochs = 12, reduction-factor = 3, max-epochs = 300 }
      }
      space {
        model.hidden = [[64, 64], [64]]
        optimizer.learning-rate = [0.0005, 0.001, 0.002, 0.004]
        optimizer.weight-decay = [0, 0.001]
        training.batch-size = [16, 32]
        training.epochs = [100, 300]
      }
      fixed { training.partitions = 1, training.engine = local }
      """;
  /** --quick: a smoke run of the code path (6 settings, 2 folds, a few epochs). */
  private static final String QUICK = """
      sweep {
        base = boston-mlp.conf, folds = 2, search = grid, parallelism = 2, scheduler = asha
        asha { grace-epochs = 1, reduction-factor = 3 }
      }
      space { optimizer.learning-rate = [0.001, 0.003, 0.01], training.epochs = [2, 3] }
      fixed { training.partitions = 1, training.engine = local, model.hidden = [8], training.batch-size = 64 }
      """;

  private AshaBench() {}

  static ObjectNode run(JavaSparkContext jsc, ObjectMapper mapper, boolean quick) throws Exception {
    SweepSpec spec = SweepSpec.parse(ConfigFactory.parseString(quick ? QUICK : SWEEP), new File("."));
    List<Trial> trials = trials(spec);
    int largest = trials.stream().mapToInt(t -> t.job().training().epochs()).max().orElseThrow();
    List<Integer> rungs = spec.asha().rungs(largest);
    int parallelism = spec.parallelism();
    ObjectNode n = mapper.createObjectNode();
    n.put("trials", trials.size());
    n.put("folds", spec.folds());
    n.put("parallelism", parallelism);
    ArrayNode r = n.putArray("rungs");
    rungs.forEach(r::add);
    File tmp = Files.createTempDirectory("spark-sgd-asha-bench").toFile();
    try (TrainingData raw = TrainingDataLoader.forJob(jsc, trials.get(0).job(), sparksgd.data.CachedRows.RAW)) {
      Folds folds = new Folds(raw.rows(Split.TRAIN), spec.folds(), 42, true);
      System.out.printf(Locale.ROOT, "%n5b. ASHA vs full sweep: %d settings x %d-fold CV, %d at a time, rungs %s%n",
          trials.size(), spec.folds(), parallelism, rungs);

      FoldScorer fullScorer = new FoldScorer(jsc, raw, folds, trials.get(0).job(), "mae", new StopSignal());
      long t0 = System.nanoTime();
      SweepRunner.Outcome full = SweepRunner.run(trials, fullScorer, folder(jsc, tmp, "full"), parallelism, false,
          x -> { });
      double fullSeconds = (System.nanoTime() - t0) / 1e9;
      Leaderboard fullBoard = new Leaderboard(full.results(), "mae", false);
      double fullEpochs = spent(full.results());
      System.out.printf(Locale.ROOT, "   full: %.1f s, %.0f fold-epochs, best CV MAE %.4f (trial %d)%n", fullSeconds,
          fullEpochs, fullBoard.best().orElseThrow().score(), fullBoard.best().orElseThrow().trial());

      FoldScorer ashaScorer = new FoldScorer(jsc, raw, folds, trials.get(0).job(), "mae", new StopSignal());
      t0 = System.nanoTime();
      SweepRunner.Outcome asha = AshaRunner.run(trials, rungs, spec.asha().reductionFactor(), false, ashaScorer,
          folder(jsc, tmp, "asha"), parallelism, false, x -> { });
      double ashaSeconds = (System.nanoTime() - t0) / 1e9;
      Leaderboard ashaBoard = new Leaderboard(asha.results(), "mae", false);
      double ashaEpochs = spent(asha.results());

      TrialResult fullBest = fullBoard.best().orElseThrow();
      TrialResult ashaBest = ashaBoard.best().orElseThrow();
      double gap = ashaBest.score() - fullBest.score();
      double fullTest = testMae(fullScorer, trials.get(fullBest.trial() - 1));
      double ashaTest = ashaBest.trial() == fullBest.trial() ? fullTest
          : testMae(ashaScorer, trials.get(ashaBest.trial() - 1));
      n.put("full_s", fullSeconds);
      n.put("asha_s", ashaSeconds);
      n.put("wall_ratio", ashaSeconds / fullSeconds);
      n.put("full_fold_epochs", fullEpochs);
      n.put("asha_fold_epochs", ashaEpochs);
      n.put("epoch_ratio", ashaEpochs / fullEpochs);
      n.put("full_best_trial", fullBest.trial());
      n.put("full_best_cv_mae", fullBest.score());
      n.put("asha_best_trial", ashaBest.trial());
      n.put("asha_best_cv_mae", ashaBest.score());
      n.put("best_cv_mae_gap", gap);
      n.put("full_best_test_mae", fullTest);
      n.put("asha_best_test_mae", ashaTest);
      n.put("asha_finished_trials", asha.results().stream().filter(TrialResult::finished).count());
      boolean met = gap <= 0.03 && ashaEpochs <= fullEpochs / 3 && ashaSeconds <= fullSeconds / 2;
      n.put("targets_met", met);
      System.out.printf(Locale.ROOT, "   asha: %.1f s (%.2fx of full), %.0f fold-epochs (%.2fx), best CV MAE %.4f "
          + "(trial %d, %+.4f against full's best)%n   test MAE after retraining on all training rows: asha's best "
          + "%.4f, full's best %.4f; targets (gap <= 0.03, <= 1/3 epochs, <= 1/2 wall): %s%n", ashaSeconds,
          ashaSeconds / fullSeconds, ashaEpochs, ashaEpochs / fullEpochs, ashaBest.score(), ashaBest.trial(), gap,
          ashaTest, fullTest, met ? "met" : "not met");
      System.out.printf(Locale.ROOT, "   asha best %s; full best %s%n", ashaBest.settings(), fullBest.settings());
    } finally {
      org.apache.commons.io.FileUtils.deleteQuietly(tmp);
    }
    return n;
  }

  private static List<Trial> trials(SweepSpec spec) {
    List<Trial> out = new ArrayList<>();
    for (int i = 0; i < spec.combos().size(); i++) {
      List<String> o = new ArrayList<>(spec.overrides(i));
      o.add("data.validation-fraction=0");
      out.add(new Trial(i + 1, spec.combos().get(i), JobLoader.load(KERAS_JOB, null, o, true)));
    }
    return out;
  }

  private static SweepFolder folder(JavaSparkContext jsc, File tmp, String name) {
    String dir = new File(tmp, name).getPath();
    return SweepFolder.open(dir, jsc.hadoopConfiguration(), JsonNodeFactory.instance.objectNode().put("hash", dir),
        false);
  }

  private static double spent(List<TrialResult> results) {
    return results.stream().mapToDouble(r -> r.epochsSpent() == null ? 0 : r.epochsSpent()).sum();
  }

  /** The setting trained on every training row (the project's own split) and scored on the test rows. */
  private static double testMae(FoldScorer scorer, Trial trial) {
    TrainingRun.Result r = scorer.trainFinal(trial.job(), List.of());
    return r.test().get("mae");
  }
}
