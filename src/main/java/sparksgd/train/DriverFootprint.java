package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sparksgd.job.JobSpec;

/**
 * What the driver holds for a model of a given width, whatever the data's size: the parameters, the
 * summed gradient, one gradient per partition while a step's results are combined, the optimizer's
 * slots and the snapshot a checkpoint writes from, all as doubles (the driver keeps float32 models'
 * parameters as float-exact doubles). A million hashed features behind a 64-unit layer is 64 M
 * parameters, 512 MB a copy: the check below says so before Spark starts instead of failing with an
 * OutOfMemoryError minutes later.
 */
public record DriverFootprint(long parameters, int copies) {
  /** The footprint of {@code job}'s model over {@code inputs} features (softmax: {@code classes} outputs). */
  public static DriverFootprint of(JobSpec job, long inputs, int classes) {
    List<Long> widths = new ArrayList<>();
    widths.add(inputs);
    for (int h : job.model().hidden()) {
      widths.add((long) h);
    }
    widths.add(job.model().loss() == sparksgd.model.LossType.SOFTMAX ? Math.max(2, classes) : 1L);
    long params = 0;
    for (int i = 0; i + 1 < widths.size(); i++) {
      params += widths.get(i) * widths.get(i + 1) + widths.get(i + 1);
    }
    int slots = switch (job.optimizer().type()) {
      case ADAM -> 2;
      case RMSPROP -> 1;
      default -> job.optimizer().momentum() > 0 ? 1 : 0;
    };
    // parameters, summed gradient, a checkpoint's snapshot, the optimizer's slots, one result per partition
    return new DriverFootprint(params, 3 + slots + job.training().partitions());
  }

  public long bytes() {
    return parameters * copies * Double.BYTES;
  }

  /** True when the footprint takes more than 80% of {@code heapBytes} (the rest is Spark's and ours). */
  public boolean exceeds(long heapBytes) {
    return bytes() > 0.8 * heapBytes;
  }

  /** e.g. "64,000,065 parameters x 7 copies = 3.3 GB". */
  public String describe() {
    return String.format(Locale.ROOT, "%,d parameters x %d copies = %s", parameters, copies, gigabytes(bytes()));
  }

  public static String gigabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }
}
