package sparksgd.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import sparksgd.job.JobConfigException;

/**
 * {@code sweep.asha { grace-epochs, reduction-factor, max-epochs }}: the rungs of asynchronous successive
 * halving. 0 for {@code max-epochs} means the largest {@code training.epochs} of the trials; 0 for
 * {@code grace-epochs} means {@code max-epochs / reduction-factor^3} (at least 1), so there are about
 * four rungs below the top.
 */
public record AshaSpec(int graceEpochs, int reductionFactor, int maxEpochs) {
  static final Set<String> KEYS = Set.of("grace-epochs", "reduction-factor", "max-epochs");
  public static final AshaSpec DEFAULTS = new AshaSpec(0, 3, 0);

  static AshaSpec parse(Config c) {
    if (!c.hasPath("sweep.asha")) {
      return DEFAULTS;
    }
    Config a;
    try {
      a = c.getConfig("sweep.asha");
    } catch (ConfigException e) {
      throw new JobConfigException("sweep.asha", "must be an object { grace-epochs, reduction-factor, max-epochs }");
    }
    for (String k : a.root().keySet()) {
      if (!KEYS.contains(k)) {
        throw new JobConfigException("sweep.asha." + k, "unknown key (allowed: grace-epochs, reduction-factor, "
            + "max-epochs)");
      }
    }
    int grace = integer(a, "grace-epochs", DEFAULTS.graceEpochs, 0, "0 (automatic) or at least 1");
    int eta = integer(a, "reduction-factor", DEFAULTS.reductionFactor, 2, "at least 2");
    int max = integer(a, "max-epochs", DEFAULTS.maxEpochs, 0, "0 (the trials' largest training.epochs) or at least 1");
    return new AshaSpec(grace, eta, max);
  }

  private static int integer(Config a, String key, int dflt, int min, String allowed) {
    int v;
    try {
      v = a.hasPath(key) ? a.getInt(key) : dflt;
    } catch (ConfigException e) {
      throw new JobConfigException("sweep.asha." + key, "must be an integer: " + allowed);
    }
    if (v < min) {
      throw new JobConfigException("sweep.asha." + key, "must be " + allowed + " (got " + v + ")");
    }
    return v;
  }

  /**
   * The rungs in epochs: grace x eta^k while below the top, then the top ({@code max-epochs}, or
   * {@code largestEpochs} when it is 0).
   */
  public List<Integer> rungs(int largestEpochs) {
    int top = maxEpochs > 0 ? maxEpochs : largestEpochs;
    int grace = graceEpochs > 0 ? graceEpochs
        : (int) Math.max(1, Math.floor(top / Math.pow(reductionFactor, 3)));
    if (grace >= top) {
      throw new JobConfigException("sweep.asha.grace-epochs", "must be below max-epochs (" + top + "), got " + grace);
    }
    List<Integer> out = new ArrayList<>();
    for (long r = grace; r < top; r *= reductionFactor) {
      out.add((int) r);
    }
    out.add(top);
    return List.copyOf(out);
  }

  /** Where a trial of {@code epochs} is scored: the rungs below its budget (epochs capped at the top), then the budget. */
  public static List<Integer> milestones(List<Integer> rungs, int epochs) {
    int budget = Math.min(epochs, rungs.get(rungs.size() - 1));
    List<Integer> out = new ArrayList<>();
    for (int r : rungs) {
      if (r < budget) {
        out.add(r);
      }
    }
    out.add(budget);
    return List.copyOf(out);
  }
}
