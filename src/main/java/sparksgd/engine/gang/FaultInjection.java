package sparksgd.engine.gang;

import java.io.Serializable;

/**
 * A test hook: makes the task of {@code partition} misbehave when it receives step {@code step} of
 * epoch {@code epoch} (both 0-based) in stage attempt {@code stageAttempt} (negative: in every attempt). {@link Kind#THROW} throws
 * from inside the task (the stage fails and Spark relaunches it); {@link Kind#STALL} stops answering
 * until the task is killed (the step times out). Package-private: only the gang's own tests (same package)
 * can make one; production settings carry {@code null}, and a task checks it once per step.
 */
record FaultInjection(int partition, int epoch, int step, int stageAttempt, Kind kind)
    implements Serializable {

  enum Kind { THROW, STALL }

  static FaultInjection throwAt(int partition, int epoch, int step, int stageAttempt) {
    return new FaultInjection(partition, epoch, step, stageAttempt, Kind.THROW);
  }

  static FaultInjection stallAt(int partition, int epoch, int step, int stageAttempt) {
    return new FaultInjection(partition, epoch, step, stageAttempt, Kind.STALL);
  }

  boolean matches(int partition, int epoch, int step, int stageAttempt) {
    return this.partition == partition && this.epoch == epoch && this.step == step
        && (this.stageAttempt < 0 || this.stageAttempt == stageAttempt);
  }
}
