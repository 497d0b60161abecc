package sparksgd.engine;

/**
 * The messages of the gang engine's wire protocol between the driver's {@link GangServer} and each
 * task's {@link GangClient}. Plain values: {@link GangCodec} turns them into length-prefixed frames,
 * {@link GangCoordinator} reasons about them without any network code.
 */
sealed interface GangMessage {

  /** Task to driver, first frame of a connection: who it is and the run's secret. */
  record Hello(byte[] secret, int partition, int stageId, int stageAttempt) implements GangMessage {}

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

  /** Driver to task: gradient sums of step {@code step} of {@code epoch}. */
  record Step(long id, int epoch, int step, double[] params, int resultWidth) implements Request {
    @Override
    public String describe() {
      return "step " + (step + 1) + " of epoch " + (epoch + 1);
    }
  }

  /** Driver to task: metric sums of one split ({@link sparksgd.data.Split} ordinal). */
  record Evaluate(long id, int split, double[] params, int resultWidth) implements Request {
    @Override
    public String describe() {
      return "evaluation of split " + split;
    }
  }

  /** Driver to task: the run is over, return normally. */
  record Stop() implements GangMessage {}

  /** Task to driver: the arrays of one request, one per data element of the partition, in order. */
  record Result(long id, double[][] parts) implements GangMessage {}

  /** Task to driver: the task is about to fail with this error. */
  record Failed(long id, String error) implements GangMessage {}
}
