package sparksgd.engine.gang;

/**
 * The messages of the gang engine's wire protocol between the driver's {@link GangServer} and each
 * task's {@link GangClient}. Plain values: {@link GangCodec} turns them into length-prefixed frames,
 * {@link GangCoordinator} reasons about them without any network code.
 */
sealed interface GangMessage {

  /**
   * Task to driver, first frame of a connection: who it is and the run's secret. In allreduce mode
   * also where the task listens for its ring neighbour ({@code peerPort} 0 in driver mode).
   */
  record Hello(byte[] secret, int partition, int stageId, int stageAttempt, String peerHost, int peerPort)
      implements GangMessage {
    Hello(byte[] secret, int partition, int stageId, int stageAttempt) {
      this(secret, partition, stageId, stageAttempt, "", 0);
    }
  }

  /**
   * Driver to task (allreduce mode), once every partition of the stage attempt has said hello: the
   * ring's addresses in partition order. Comes before any request of that attempt.
   */
  record Peers(String[] hosts, int[] ports) implements GangMessage {}

  /** Driver to task: the connection is refused (stale attempt, bad secret...); the task should fail. */
  record Refused(String reason) implements GangMessage {}

  /** Driver to task: one request to compute (a step or an evaluation). */
  sealed interface Request extends GangMessage {
    long id();

    double[] params();

    /** Length of every array the task returns for this request. */
    int resultWidth();

    String describe();
  }

  /**
   * Driver to task: gradient sums of step {@code step} of {@code epoch}. With {@code changes} non-null
   * ({@link sparksgd.engine.ParamChanges}) only those travel, to tasks that answered the previous step
   * (they hold its parameters); {@code params} is then the whole vector for a task that does not (a
   * relaunched one: {@link #whole()}), and is not sent otherwise. Tasks answer steps with any width
   * ({@link sparksgd.engine.StepParts}).
   */
  record Step(long id, int epoch, int step, double[] params, int resultWidth, double[] changes) implements Request {
    Step(long id, int epoch, int step, double[] params, int resultWidth) {
      this(id, epoch, step, params, resultWidth, null);
    }

    /** The same request with the whole parameter vector. */
    Step whole() {
      return changes == null ? this : new Step(id, epoch, step, params, resultWidth, null);
    }

    @Override
    public String describe() {
      return "step " + (step + 1) + " of epoch " + (epoch + 1);
    }
  }

  /**
   * Driver to task: metric sums of one split ({@link sparksgd.data.Split} ordinal). In allreduce mode
   * empty {@code params} mean the task's own.
   */
  record Evaluate(long id, int split, double[] params, int resultWidth) implements Request {
    @Override
    public String describe() {
      return "evaluation of split " + split;
    }
  }

  /** The empty parameter array of requests that carry none (allreduce mode: tasks hold them). */
  double[] NO_PARAMS = new double[0];

  /**
   * Driver to task (allreduce mode): take these parameters and optimizer state (its slots in the
   * optimizer's creation order, and its step count). Answered with an empty result.
   */
  record Load(long id, double[] params, double[][] slots, long optimizerStep) implements Request {
    @Override
    public int resultWidth() {
      return 0;
    }

    @Override
    public String describe() {
      return "loading parameters and optimizer state";
    }
  }

  /**
   * Driver to task (allreduce mode): compute this step's gradient, reduce it with the other tasks in
   * partition order, apply the optimizer at {@code learningRate}. Each task answers
   * {@code [lossSum, rows, bytes it sent to its peer]}.
   */
  record Update(long id, int epoch, int step, double learningRate) implements Request {
    static final int WIDTH = 3;

    @Override
    public double[] params() {
      return NO_PARAMS;
    }

    @Override
    public int resultWidth() {
      return WIDTH;
    }

    @Override
    public String describe() {
      return "step " + (step + 1) + " of epoch " + (epoch + 1);
    }
  }

  /**
   * Driver to task (allreduce mode): send the parameters and optimizer state. Partition 0 answers
   * {@code [params, slot..., [optimizerStep]]}, the others an empty result.
   */
  record Fetch(long id) implements Request {
    /** Result width meaning "any lengths" (checked by the engine instead). */
    static final int ANY_WIDTH = -1;

    @Override
    public double[] params() {
      return NO_PARAMS;
    }

    @Override
    public int resultWidth() {
      return ANY_WIDTH;
    }

    @Override
    public String describe() {
      return "fetching parameters and optimizer state";
    }
  }

  /** Driver to task: the run is over, return normally. */
  record Stop() implements GangMessage {}

  /** Task to driver: the arrays of one request, one per data element of the partition, in order. */
  record Result(long id, double[][] parts) implements GangMessage {}

  /** Task to driver: the task is about to fail with this error. */
  record Failed(long id, String error) implements GangMessage {}
}
