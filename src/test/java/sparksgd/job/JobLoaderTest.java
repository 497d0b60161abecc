package sparksgd.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sparksgd.model.Activation;
import sparksgd.optim.OptimizerType;

class JobLoaderTest {
  private static final String MINIMAL = "data { train = \"x.csv\", label = y }\n";

  private static JobConfigException bad(String text, String... sets) {
    return assertThrows(JobConfigException.class, () -> JobLoader.load(text, "t.conf", List.of(sets)));
  }

  @Test
  void defaultsFillEverythingNotGiven() {
    JobSpec job = JobLoader.load(MINIMAL, "jobs/t.conf", List.of());
    assertEquals("x.csv", job.data().train());
    assertEquals("y", job.data().label());
    assertEquals(DataSpec.Normalization.STANDARD, job.data().normalize());
    assertEquals(ModelSpec.Type.LINEAR, job.model().type());
    assertEquals(OptimizerType.SGD, job.optimizer().type());
    assertEquals(0.2, job.data().testFraction());
    assertEquals("t", job.name());
    assertTrue(job.resolvedHocon().contains("learning-rate"));
    assertFalse(job.resolvedHocon().contains("spark-sgd-defaults"));
  }

  @Test
  void setOverridesWinAndParseHoconValues() {
    JobSpec job = JobLoader.load(MINIMAL, "t.conf",
        List.of("model.type=mlp", "model.hidden=[64, 32]", "optimizer.learning-rate=0.5", "data.drop=[B]",
            "spark.conf.spark.executor.memory=2g"));
    assertEquals(List.of(64, 32), job.model().hidden());
    assertEquals(List.of(Activation.RELU, Activation.RELU), job.model().activations());
    assertEquals(0.5, job.optimizer().learningRate());
    assertEquals(List.of("B"), job.data().drop());
    assertEquals("2g", job.spark().conf().get("spark.executor.memory"));
  }

  @Test
  void sameConfigGivesSameHash() {
    String a = JobLoader.load(MINIMAL, "a.conf", List.of()).configHash();
    String b = JobLoader.load(MINIMAL, "b.conf", List.of()).configHash();
    String c = JobLoader.load(MINIMAL, "a.conf", List.of("training.seed=7")).configHash();
    assertEquals(a, b);
    assertFalse(a.equals(c));
  }

  @Test
  void unknownKeyNamesTheNearestKnownOne() {
    JobConfigException e = bad(MINIMAL + "optimizer.learning-rat = 0.1\n");
    assertEquals("optimizer.learning-rat", e.key());
    assertTrue(e.getMessage().contains("did you mean 'optimizer.learning-rate'"), e.getMessage());
    assertTrue(bad(MINIMAL, "training.epoch=3").getMessage().contains("'training.epochs'"));
  }

  @Test
  void outOfRangeValuesNameKeyAndAllowedRange() {
    assertEquals("optimizer.learning-rate", bad(MINIMAL, "optimizer.learning-rate=0").key());
    assertEquals("optimizer.learning-rate", bad(MINIMAL, "optimizer.learning-rate=-1").key());
    assertEquals("training.batch-size", bad(MINIMAL, "training.batch-size=0").key());
    assertEquals("training.epochs", bad(MINIMAL, "training.epochs=0").key());
    assertEquals("training.partitions", bad(MINIMAL, "training.partitions=0").key());
    assertEquals("data.test-fraction", bad(MINIMAL, "data.test-fraction=1.5").key());
    JobConfigException e = bad(MINIMAL, "data.normalize=zscore");
    assertTrue(e.getMessage().contains("standard | minmax | maxabs | none"), e.getMessage());
    assertTrue(bad(MINIMAL, "training.batch-size=0").getMessage().contains(">= 1"));
    assertEquals("training.epochs", bad(MINIMAL, "training.epochs=ten").key());
  }

  @Test
  void requiredKeysAndModelConsistency() {
    assertEquals("data.train", bad("data.label = y").key());
    assertEquals("data.label", bad("data.train = x").key());
    assertEquals("model.hidden", bad(MINIMAL, "model.type=mlp").key());
    assertEquals("model.hidden", bad(MINIMAL, "model.hidden=[8]").key());
    assertEquals("model.activation", bad(MINIMAL, "model.type=mlp", "model.hidden=[8]", "model.activation=gelu").key());
    assertEquals("model.activation",
        bad(MINIMAL, "model.type=mlp", "model.hidden=[8,8,8]", "model.activation=[relu,tanh]").key());
  }

  @Test
  void syntaxErrorIsAConfigError() {
    JobConfigException e = bad("data { train = ");
    assertTrue(e.getMessage().contains("cannot parse"), e.getMessage());
  }

  @Test
  void levenshteinDistance() {
    assertEquals(0, JobLoader.levenshtein("abc", "abc"));
    assertEquals(1, JobLoader.levenshtein("abc", "abd"));
    assertEquals(3, JobLoader.levenshtein("", "abc"));
    assertEquals(2, JobLoader.levenshtein("kitten", "sitten") + 1);
  }

  @Test
  void trainingExchangeIsDriverAllreduceOrAutoAndAllreduceNeedsTheGangEngine() {
    assertEquals(TrainingSpec.Exchange.AUTO, JobLoader.load(MINIMAL, "t.conf", List.of()).training().exchange());
    assertEquals(TrainingSpec.Exchange.ALLREDUCE,
        JobLoader.load(MINIMAL, "t.conf", List.of("training.exchange=allreduce")).training().exchange());
    JobConfigException e = bad(MINIMAL, "training.exchange=ring");
    assertEquals("training.exchange", e.key());
    assertTrue(e.getMessage().contains("driver | allreduce | auto"), e.getMessage());
    JobConfigException jobs = bad(MINIMAL, "training.engine=jobs", "training.exchange=allreduce");
    assertEquals("training.exchange", jobs.key());
    assertTrue(jobs.getMessage().contains("training.engine = gang"), jobs.getMessage());
    assertEquals(TrainingSpec.Exchange.DRIVER, JobLoader.load(MINIMAL, "t.conf", List.of("training.engine=jobs", "training.exchange=driver"))
        .training().exchange());
  }

  /** issue 22: penalty and clipping keys, their defaults (off, lasso mix) and their ranges. */
  @Test
  void penaltyAndClipKeys() {
    JobSpec d = JobLoader.load(MINIMAL, "t.conf", List.of());
    assertEquals(0.0, d.optimizer().l1());
    assertEquals(1.0, d.optimizer().elasticNet());
    assertEquals(0.0, d.optimizer().clipNorm());
    JobSpec j = JobLoader.load(MINIMAL, "t.conf",
        List.of("optimizer.l1=0.01", "optimizer.elastic-net=0.5", "optimizer.clip-norm=5"));
    assertEquals(0.01, j.optimizer().l1());
    assertEquals(0.5, j.optimizer().elasticNet());
    assertEquals(5.0, j.optimizer().clipNorm());
    assertEquals("optimizer.elastic-net", bad(MINIMAL, "optimizer.elastic-net=1.5").key());
    assertEquals("optimizer.l1", bad(MINIMAL, "optimizer.l1=-1").key());
    assertEquals("optimizer.clip-norm", bad(MINIMAL, "optimizer.clip-norm=-0.1").key());
  }

  /** issue 22: warm start and class-weight keys. */
  @Test
  void warmStartAndClassWeightKeys() {
    JobSpec d = JobLoader.load(MINIMAL, "t.conf", List.of());
    assertEquals(null, d.model().initFrom());
    assertFalse(d.model().usesModelStats());
    assertFalse(d.model().balancedClassWeights());
    JobSpec w = JobLoader.load(MINIMAL, "t.conf", List.of("model.init-from=\"hdfs:///runs/a\"", "model.loss=bce",
        "model.class-weights=balanced"));
    assertEquals("hdfs:///runs/a", w.model().initFrom());
    assertTrue(w.model().usesModelStats());
    assertTrue(w.model().balancedClassWeights());
    JobSpec l = JobLoader.load(MINIMAL, "t.conf", List.of("model.loss=softmax", "model.class-weights=[1, 2.5, 0]",
        "data.stats-from=data"));
    assertEquals(List.of(1.0, 2.5, 0.0), l.model().classWeights());
    assertEquals("model.class-weights", bad(MINIMAL, "model.class-weights=balanced").key()); // mse
    assertEquals("model.class-weights", bad(MINIMAL, "model.loss=bce", "model.class-weights=heavy").key());
    assertEquals("model.class-weights", bad(MINIMAL, "model.loss=bce", "model.class-weights=[1, -2]").key());
    assertEquals("data.stats-from", bad(MINIMAL, "data.stats-from=both").key());
  }

  /** A job.conf saved before a key existed (e.g. training.precision) still matches a job at that key's default. */
  @Test
  void aKeyMissingFromAnOlderSavedJobCountsAsItsDefault() {
    String older = "training { epochs = 5 }";
    assertEquals(List.of(), JobLoader.differingKeys(older, "training { epochs = 5, precision = float64 }", List.of()));
    assertEquals(1, JobLoader.differingKeys(older, "training { epochs = 5, precision = float32 }", List.of()).size());
    assertEquals(1, JobLoader.differingKeys(older, "training { epochs = 6, precision = float64 }", List.of()).size());
  }

  /** Every fixed-choice key: its value is read case-insensitively, and a wrong one lists what is allowed. */
  @Test
  void everyChoiceKeyNamesItsAllowedValuesInOneWording() {
    String[][] cases = {
        {"data.normalize", "standard | minmax | maxabs | none"},
        {"data.format", "csv | whitespace | libsvm | parquet"},
        {"data.representation", "auto | dense | sparse"},
        {"data.stats-from", "model | data"},
        {"model.type", "linear | mlp"},
        {"model.initializer", "glorot-uniform | he-normal | he-uniform"},
        {"model.loss", "mse | bce | softmax"},
        {"optimizer.type", "sgd | rmsprop | adam"},
        {"optimizer.schedule.type", "constant | step | exponential | cosine"},
        {"training.engine", "auto | gang | jobs | local"},
        {"training.exchange", "driver | allreduce | auto"},
        {"training.precision", "float64 | float32"},
        {"training.early-stopping.metric", "none | validation-loss | validation-mae | validation-accuracy"}};
    for (String[] c : cases) {
      JobConfigException e = bad(MINIMAL, c[0] + "=Nope");
      assertEquals("config key '" + c[0] + "': must be one of " + c[1] + " (got 'nope')", e.getMessage());
    }
    JobConfigException act = bad(MINIMAL, "model.type=mlp", "model.hidden=[8]", "model.activation=identity");
    assertEquals("config key 'model.activation': must be one of relu | tanh | sigmoid (got 'identity')",
        act.getMessage());
    JobSpec upper = JobLoader.load(MINIMAL, "t.conf", List.of("model.type=MLP", "model.hidden=[4]",
        "model.initializer=He-Normal", "model.activation=TANH", "optimizer.type=Adam", "training.engine=JOBS"));
    assertEquals(ModelSpec.Type.MLP, upper.model().type());
    assertEquals(sparksgd.model.Initializer.HE_NORMAL, upper.model().initializer());
    assertEquals(List.of(Activation.TANH), upper.model().activations());
    assertEquals(OptimizerType.ADAM, upper.optimizer().type());
    assertEquals(TrainingSpec.Engine.JOBS, upper.training().engine());
    // The config name is what prints (error texts, provenance.json, log lines).
    assertEquals("glorot-uniform", JobLoader.load(MINIMAL, "t.conf", List.of()).model().initializer().toString());
    assertEquals("jobs", upper.training().engine().toString());
    // provenance.json holds the engine as a value: Jackson writes the config name, as when it was a String.
    assertEquals("{\"engine\":\"jobs\"}", sparksgd.store.Json.toString(java.util.Map.of("engine",
        upper.training().engine())).replaceAll("\\s", ""));
  }

  @Test
  void nesterovNeedsMomentumWhateverTheRule() {
    assertEquals("config key 'optimizer.nesterov': needs optimizer.momentum > 0",
        bad(MINIMAL, "optimizer.nesterov=true").getMessage());
    assertEquals("optimizer.nesterov", bad(MINIMAL, "optimizer.type=adam", "optimizer.nesterov=true").key());
    JobLoader.load(MINIMAL, "t.conf", List.of("optimizer.nesterov=true", "optimizer.momentum=0.9"));
  }
}
