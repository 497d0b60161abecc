package sparksgd.engine.gang;

import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the {@link GangEngine}.
 *
 * @param stepTimeout how long one step or evaluation may take, recovery from failed attempts included,
 *     before it fails with a {@link GangException}
 * @param connectTimeout how long the engine waits at start for every task to connect, and how long a
 *     task or any other client may take to connect and say hello
 * @param stopTimeout how long {@link GangEngine#close()} waits for the tasks to end before cancelling the
 *     Spark job (and again for the cancellation)
 * @param maxFailuresPerRequest stage attempts that may fail while one request is pending before the
 *     request fails (a task that fails deterministically is not retried forever)
 * @param fault internal test hook (package-private type), {@code null} outside the gang's tests
 */
public record GangSettings(Duration stepTimeout, Duration connectTimeout, Duration stopTimeout,
    int maxFailuresPerRequest, FaultInjection fault) implements Serializable {

  public GangSettings {
    if (stepTimeout.isNegative() || stepTimeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()
        || stopTimeout.isNegative()) {
      throw new IllegalArgumentException("gang timeouts must be positive");
    }
    if (maxFailuresPerRequest < 1) {
      throw new IllegalArgumentException("maxFailuresPerRequest must be at least 1");
    }
  }

  public static GangSettings defaults() {
    return new GangSettings(Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(10), 4, null);
  }

  public GangSettings withStepTimeout(Duration d) {
    return new GangSettings(d, connectTimeout, stopTimeout, maxFailuresPerRequest, fault);
  }

  public GangSettings withConnectTimeout(Duration d) {
    return new GangSettings(stepTimeout, d, stopTimeout, maxFailuresPerRequest, fault);
  }

  public GangSettings withStopTimeout(Duration d) {
    return new GangSettings(stepTimeout, connectTimeout, d, maxFailuresPerRequest, fault);
  }

  public GangSettings withMaxFailuresPerRequest(int n) {
    return new GangSettings(stepTimeout, connectTimeout, stopTimeout, n, fault);
  }

  /** For the gang's own tests. */
  GangSettings withFault(FaultInjection f) {
    return new GangSettings(stepTimeout, connectTimeout, stopTimeout, maxFailuresPerRequest, f);
  }
}
