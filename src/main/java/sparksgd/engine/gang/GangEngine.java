package sparksgd.engine.gang;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.engine.Combine;
import sparksgd.engine.GradientSum;
import sparksgd.engine.ParamChanges;
import sparksgd.engine.StepParts;
import sparksgd.engine.JobsEngine;
import sparksgd.model.Metrics;
import sparksgd.engine.PartitionWorker;
import sparksgd.engine.ResidentStateEngine;
import sparksgd.engine.StepResult;
import sparksgd.engine.TaskSlots;
import sparksgd.optim.Optimizer;
import sparksgd.optim.OptimizerState;

/**
 * The fast engine ({@code training.engine = gang}): one long-lived Spark job whose barrier stage keeps
 * one task per partition alive for the whole run; each task holds a direct connection to a server on
 * the driver and answers step and evaluation requests with the same {@link PartitionWorker}
 * arithmetic as {@link JobsEngine}. Answers are combined with {@link Combine} in partition order, so
 * the results are bit-identical to the reference engine's, at network rather than job-scheduling
 * cost per step.
 *
 * <p>The barrier stage is followed by a shuffle ({@code repartition(1)}), so it is a shuffle-map stage
 * that Spark relaunches as a whole when a task fails; the new attempt reconnects and the
 * {@link GangCoordinator} re-sends the interrupted request (the driver holds parameters and optimizer
 * state). Spark settings this needs: {@code spark.stage.maxConsecutiveAttempts} well above the
 * expected number of task failures over the whole run (every failure of the long-lived stage counts;
 * the default 4 is warned about), dynamic allocation off, and at least {@code training.partitions}
 * task slots held by the application.
 *
 * <p>Two exchanges ({@code training.exchange}): in driver mode the driver sends the parameters to
 * every task and sums their gradients each step ({@link #step}). In allreduce mode (built with an
 * {@link Optimizer}) the tasks hold parameters and optimizer state, sum the gradient among themselves
 * in partition order over a ring ({@link ChainReduce}) and all apply the same update
 * ({@link #update}); the driver sends a step header and receives loss sums, and moves the state with
 * {@link #load} and {@link #fetch}. After a failure the relaunched attempt is rebuilt from the last
 * loaded or fetched state plus a replay of the steps completed since (see {@link GangCoordinator}).
 */
public final class GangEngine implements ResidentStateEngine {
  private static final Logger LOG = LoggerFactory.getLogger(GangEngine.class);
  static final int RECOMMENDED_STAGE_ATTEMPTS = 100;
  static final int MIN_STAGE_ATTEMPTS = 10;

  private static final String JOB_DESCRIPTION = "spark.job.description";
  private final SparkContext sc;
  private final PartitionWorker worker;
  private final GangSettings settings;
  private final GangCoordinator coordinator;
  private final GangServer server;
  private final SparkListener listener;
  private final JavaFutureAction<List<Long>> job;
  private final Thread watcher;
  private final Optimizer optimizer;
  /** Allreduce mode: the parameters the tasks hold when the driver knows them, else null. */
  private double[] tasksParams;
  private long busiestTaskBytes;
  private final GradientSum sum;
  /** Driver mode: the array the last completed step was given (changes are relative to its contents then). */
  private double[] lastStepParams;
  private GangMessage.Step lastStep; // the bench's byte figures
  private List<double[]> lastParts = List.of();
  private boolean closed;

  public GangEngine(JavaSparkContext jsc, JavaRDD<PartitionData> data, PartitionWorker worker) {
    this(jsc, data, worker, GangSettings.defaults());
  }

  /**
   * Starts the gang: the driver endpoint, then the long-lived job; returns once every partition's
   * task has connected.
   *
   * @throws IllegalArgumentException when {@code training.partitions} exceeds the task slots the
   *     application holds, or dynamic allocation is on
   * @throws GangException when the tasks do not all connect within the connect timeout or the job fails
   */
  public GangEngine(JavaSparkContext jsc, JavaRDD<PartitionData> data, PartitionWorker worker,
      GangSettings settings) {
    this(jsc, data, worker, settings, null);
  }

  /**
   * {@code optimizer} non-null: allreduce mode, the tasks apply {@code optimizer} themselves (call
   * {@link #load} before the first {@link #update}).
   */
  public GangEngine(JavaSparkContext jsc, JavaRDD<PartitionData> data, PartitionWorker worker,
      GangSettings settings, Optimizer optimizer) {
    this.sc = jsc.sc();
    this.optimizer = optimizer;
    this.worker = worker;
    this.settings = settings;
    this.sum = new GradientSum(worker.resultWidth() - 2);
    int partitions = data.getNumPartitions();
    checkSpark(sc, partitions);

    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    coordinator = new GangCoordinator(partitions, secret, settings.stepTimeout().toNanos(),
        settings.maxFailuresPerRequest(), optimizer != null);
    String[] hosts = driverHosts(sc);
    server = new GangServer(hosts[0], coordinator, settings.connectTimeout());
    listener = new Listener(coordinator);
    sc.addSparkListener(listener);

    JavaFutureAction<List<Long>> started = null;
    Thread w = null;
    try {
      GangTask task = new GangTask(hosts[1], server.port(), secret, worker, settings.connectTimeout(),
          settings.fault(), optimizer, settings.stepTimeout(), ChainReduce.DEFAULT_CHUNK);
      ClassTag<Long> tag = ClassTag$.MODULE$.apply(Long.class);
      RDD<Long> gang = data.rdd().barrier().mapPartitions(task, false, tag);
      // The shuffle makes the barrier stage a shuffle-map stage, which Spark retries on failure.
      JavaRDD<Long> out = JavaRDD.fromRDD(gang, tag).repartition(1);
      String oldDescription = sc.getLocalProperty(JOB_DESCRIPTION);
      sc.setLocalProperty(JOB_DESCRIPTION,
          "spark-sgd gang engine: " + partitions + " long-lived barrier tasks");
      try {
        started = out.collectAsync();
      } finally {
        sc.setLocalProperty(JOB_DESCRIPTION, oldDescription);
      }
      JavaFutureAction<List<Long>> f = started;
      w = new Thread(() -> watch(f), "spark-sgd-gang-job");
      w.setDaemon(true);
      w.start();
    } catch (RuntimeException e) {
      if (started != null) {
        started.cancel(true);
      }
      sc.removeSparkListener(listener);
      server.close();
      throw e;
    }
    job = started;
    watcher = w;

    boolean ready;
    try {
      ready = coordinator.awaitGang(settings.connectTimeout().toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new GangException("interrupted while the gang's tasks were connecting");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (!ready) {
      String status = coordinator.status();
      close();
      throw new GangException("the gang's tasks did not all connect within " + settings.connectTimeout().toMillis()
          + " ms: " + status + ". Barrier mode runs all " + partitions + " tasks at once, so the application"
          + " needs that many free task slots (lower training.partitions, or use training.engine = jobs);"
          + " on a cluster also check that executors can reach the driver at " + hosts[1] + ":" + server.port());
    }
    LOG.info("gang: {} tasks connected (stage attempt {})", partitions, coordinator.currentAttempt());
  }

  /** The driver endpoint's port (tests). */
  int port() {
    return server.port();
  }

  /** The barrier stage's id, or -1 before the first task connected (tests). */
  int stageId() {
    return coordinator.stageId();
  }

  /** The stage attempt the gang currently runs (0 until a failure made Spark relaunch it). */
  public int stageAttempt() {
    return coordinator.currentAttempt();
  }

  @Override
  public Metrics metrics() {
    return worker.metrics();
  }

  @Override
  public String name() {
    return "gang";
  }

  /** {@code driver} or {@code allreduce}. */
  public String exchange() {
    return optimizer == null ? "driver" : "allreduce";
  }

  /** Bytes the driver's endpoint received and sent so far: {in, out} (the bench's figures). */
  public long[] driverTraffic() {
    return server.traffic();
  }

  /** Allreduce mode: the most bytes one task sent to its ring peer in the last step. */
  public long busiestTaskBytesLastStep() {
    return busiestTaskBytes;
  }

  @Override
  public boolean residentState() {
    return optimizer != null;
  }

  @Override
  public void load(double[] params, OptimizerState state) {
    requireAllreduce();
    double[] p = params.clone();
    double[][] slots = state.slots().values().stream().map(double[]::clone).toArray(double[][]::new);
    long stepCount = state.step();
    coordinator.exchange(id -> new GangMessage.Load(id, p, slots, stepCount));
    tasksParams = p;
  }

  @Override
  public StepResult update(int epoch, int step, double learningRate) {
    requireAllreduce();
    tasksParams = null;
    List<double[]> parts = coordinator.exchange(id -> new GangMessage.Update(id, epoch, step, learningRate));
    long busiest = 0;
    for (double[] part : parts) {
      busiest = Math.max(busiest, (long) part[2]);
    }
    busiestTaskBytes = busiest;
    double[] first = parts.get(0); // every task holds the same sums
    return new StepResult(null, first[0], first[1]);
  }

  @Override
  public void fetch(double[] params, OptimizerState state) {
    requireAllreduce();
    List<double[]> parts = coordinator.exchange(GangMessage.Fetch::new);
    int slots = state.slots().size();
    if (parts.size() != slots + 2 || parts.get(0).length != params.length) {
      throw new GangException("fetched state does not match the model: " + parts.size() + " arrays, "
          + (parts.isEmpty() ? 0 : parts.get(0).length) + " parameters; expected " + (slots + 2) + " arrays, "
          + params.length + " parameters");
    }
    System.arraycopy(parts.get(0), 0, params, 0, params.length);
    int i = 1;
    double[][] copies = new double[slots][];
    for (double[] slot : state.slots().values()) {
      double[] got = parts.get(i);
      if (got.length != slot.length) {
        throw new GangException("fetched optimizer slot " + (i - 1) + " has " + got.length + " values, expected "
            + slot.length);
      }
      System.arraycopy(got, 0, slot, 0, slot.length);
      copies[i - 1] = got;
      i++;
    }
    state.setStep((long) parts.get(i)[0]);
    double[] held = parts.get(0);
    // From now on a relaunched gang starts from this state instead of replaying from the last one.
    coordinator.rebase(new GangMessage.Load(0, held, copies, state.step()));
    tasksParams = held;
  }

  private void requireAllreduce() {
    if (optimizer == null) {
      throw new IllegalStateException("the gang engine runs in driver mode (built without an optimizer)");
    }
  }

  @Override
  public StepResult step(int epoch, int step, double[] params) {
    return step(epoch, step, params, null);
  }

  /**
   * Driver mode. Tasks keep the parameters of the step they last answered; when only
   * {@code changedSinceLastStep} moved since (plain SGD on sparse rows) and that list is the smaller, the
   * tasks that hold them get only those values; a task that does not (a relaunched attempt's) gets the
   * whole vector. The partitions' sums come back sparse when smaller ({@link StepParts}).
   */
  @Override
  public StepResult step(int epoch, int step, double[] params, int[] changedSinceLastStep) {
    if (optimizer != null) {
      throw new IllegalStateException("allreduce mode: the tasks apply the update; call update, not step");
    }
    boolean changesOnly = changedSinceLastStep != null && lastStepParams == params
        && ParamChanges.smaller(changedSinceLastStep.length, params.length) && coordinator.allHoldStepParams();
    lastStepParams = null; // until this step completes
    double[] changes = changesOnly ? ParamChanges.of(changedSinceLastStep, params) : null;
    // With changes, the whole vector is only sent to a task that connects during this exchange, while the
    // caller waits (and leaves params alone); without, it is copied, as the caller may change it after.
    double[] whole = changesOnly ? params : params.clone();
    int width = GangMessage.Fetch.ANY_WIDTH; // dense or sparse parts: checked by GradientSum
    GangMessage.Step[] sent = new GangMessage.Step[1];
    List<double[]> parts = coordinator.exchange(id -> sent[0] = new GangMessage.Step(id, epoch, step, whole, width,
        changes));
    StepResult r = sum.add(parts);
    lastStep = sent[0];
    lastParts = parts;
    lastStepParams = params;
    return r;
  }

  /** Driver mode: bytes of the step frame each task that held the parameters was sent in the last step. */
  public long lastStepBytesToEachTask() {
    return lastStep == null ? 0 : GangCodec.frameBytes(lastStep);
  }

  /** Driver mode: bytes of each task's answer to the last step (its result frame), in partition order. */
  public long[] lastStepBytesFromEachTask() {
    long[] bytes = new long[lastParts.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = GangCodec.arrayBytes(lastParts.get(i)) + 17; // a one-part result frame: 4 + 1 + 8 + 4 + array
    }
    return bytes;
  }

  @Override
  public double[] evaluate(Split split, double[] params) {
    // Allreduce mode: the tasks use their own parameters when the driver's are the same.
    double[] p = tasksParams != null && Arrays.equals(tasksParams, params) ? GangMessage.NO_PARAMS : params.clone();
    List<double[]> parts = coordinator.exchange(
        id -> new GangMessage.Evaluate(id, split.ordinal(), p, worker.metrics().width()));
    return Combine.sums(parts, worker.metrics().width());
  }

  /** Tells the tasks to stop, waits for the job (cancelling it after the stop timeout), shuts down. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    coordinator.stop();
    long stopMillis = settings.stopTimeout().toMillis();
    if (!awaitJob(stopMillis)) {
      LOG.warn("gang: tasks did not stop within {} ms; cancelling the job", stopMillis);
      job.cancel(true);
      if (!awaitJob(stopMillis)) {
        LOG.warn("gang: the job did not end within {} ms of its cancellation", stopMillis);
      }
    }
    coordinator.closeAll();
    server.close();
    sc.removeSparkListener(listener);
    try {
      watcher.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean awaitJob(long millis) {
    try {
      job.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException | CancellationException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void watch(JavaFutureAction<List<Long>> f) {
    try {
      f.get();
      coordinator.onJobEnded(null);
    } catch (ExecutionException e) {
      coordinator.onJobEnded(e.getCause() == null ? e : e.getCause());
    } catch (CancellationException | InterruptedException e) {
      coordinator.onJobEnded(e);
    } catch (RuntimeException e) {
      coordinator.onJobEnded(e);
    }
  }

  // ---------------------------------------------------------------- Spark settings

  /**
   * Checks what barrier mode needs, throwing {@link IllegalArgumentException} for what cannot work and
   * warning about what is risky.
   */
  static void checkSpark(SparkContext sc, int partitions) {
    SparkConf conf = sc.getConf();
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      throw new IllegalArgumentException("training.engine = gang needs spark.dynamicAllocation.enabled=false"
          + " (Spark's barrier mode does not support dynamic allocation); or use training.engine = jobs");
    }
    TaskSlots.require(sc, partitions); // before the barrier stage: Spark's own check retries for minutes
    int attempts = conf.getInt("spark.stage.maxConsecutiveAttempts", 4);
    if (attempts < MIN_STAGE_ATTEMPTS) {
      LOG.warn("gang: spark.stage.maxConsecutiveAttempts = {}: every task failure over the whole run counts"
          + " against it (the gang's stage never completes until the run ends); set it to {} or more",
          attempts, RECOMMENDED_STAGE_ATTEMPTS);
    }
  }

  /** {bind address, address tasks connect to}: loopback in local mode, else the driver's own. */
  static String[] driverHosts(SparkContext sc) {
    if (sc.isLocal()) {
      return new String[] {"127.0.0.1", "127.0.0.1"};
    }
    SparkConf conf = sc.getConf();
    String host = conf.get("spark.driver.host", "127.0.0.1");
    String bind = conf.get("spark.driver.bindAddress", host);
    return new String[] {bind, host};
  }

  /** Reports failed or killed tasks of the gang's stage to the coordinator as soon as Spark knows. */
  private static final class Listener extends SparkListener {
    private final GangCoordinator coordinator;

    Listener(GangCoordinator coordinator) {
      this.coordinator = coordinator;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      TaskInfo info = e.taskInfo();
      if (info == null || !(info.failed() || info.killed())) {
        return;
      }
      int stage = coordinator.stageId();
      if (stage >= 0 && e.stageId() == stage) {
        coordinator.onAttemptFailed(e.stageId(), e.stageAttemptId(), String.valueOf(e.reason()));
      }
    }
  }
}
