package sparksgd.sweep;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import sparksgd.job.JobSpec;

/**
 * One point of the search: its number (from 1, stable across re-runs of the same sweep file), its
 * searched settings and the validated job they make with the base job and the fixed keys.
 */
public record Trial(int id, List<String> settings, JobSpec job) {
  public String name() {
    return String.format(Locale.ROOT, "trial-%03d", id);
  }

  /** Searched settings as key -> value, in key order. */
  public Map<String, String> settingsMap() {
    return SearchSpace.settings(settings);
  }
}
