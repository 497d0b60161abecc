package sparksgd.data;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import sparksgd.job.DataSpec;

/**
 * Rows of a Spark ML {@code vector} column and a label kept sparse: a {@code SparseVector} is never
 * densified, so a 1,000,000-slot row with 40 nonzeros costs 40 (index, value) pairs on its way to the CSR
 * blocks. A row travels as {@code [size, c0, v0, c1, v1, ..., label]} (the vector's size first, so that
 * the validation pass, not a task failure, reports a row of the wrong width).
 */
final class VectorRows {
  private VectorRows() {}

  /**
   * Sparse or dense rows, from {@code data.representation} and the first row: {@code auto} keeps
   * {@code SparseVector}s sparse when they are wide (more than 1,000 slots) or under 10% full, the rule
   * LibSVM input follows.
   */
  static boolean chooseSparse(DataSpec.Representation representation, Vector first) {
    return switch (representation) {
      case SPARSE -> true;
      case DENSE -> false;
      case AUTO -> first instanceof SparseVector && (first.size() > 1000 || first.numNonzeros() < 0.1 * first.size());
    };
  }

  /** {@code [size, c0, v0, ..., label]} of a (vector, label) row; a null vector has size -1. */
  static double[] sparse(Row r, int width) {
    Vector v = (Vector) r.get(0);
    Object l = r.get(1);
    double label = l == null ? Double.NaN : ((Number) l).doubleValue();
    if (v == null) {
      return new double[] {-1, label};
    }
    double[] out = new double[2 * v.numActives() + 2];
    int k = 1;
    if (v instanceof SparseVector sv) {
      int[] idx = sv.indices();
      double[] val = sv.values();
      for (int i = 0; i < idx.length; i++) {
        if (val[i] != 0) { // explicit zeros are dropped, as LibSVM's are
          out[k++] = idx[i];
          out[k++] = val[i];
        }
      }
    } else {
      for (int j = 0; j < v.size(); j++) {
        double x = v.apply(j);
        if (x != 0) {
          out[k++] = j;
          out[k++] = x;
        }
      }
    }
    out[0] = v.size();
    out[k++] = label;
    return Arrays.copyOf(out, k);
  }

  /**
   * The checked sparse row {@code [c0, v0, ..., label]}: the vector present and {@code width} wide, its
   * values and the label finite, its indices ascending; else the error names file, row and column.
   */
  static double[] check(SourceLine line, int width, String file, String featuresCol, String labelCol) {
    double[] v = line.values();
    if (v[0] < 0) {
      throw new DataException(file, line.line(), featuresCol, "null instead of a vector");
    }
    if ((int) v[0] != width) {
      throw new DataException(file, line.line(), featuresCol, "a vector of size " + (long) v[0]
          + ", but the first row's has size " + width);
    }
    int last = -1;
    for (int k = 1; k + 1 < v.length - 1; k += 2) {
      int c = (int) v[k];
      if (c <= last) {
        throw new DataException(file, line.line(), featuresCol + "[" + (c + 1) + "]",
            c == last ? "index repeated" : "indices must be ascending");
      }
      if (!Double.isFinite(v[k + 1])) {
        throw new DataException(file, line.line(), featuresCol + "[" + (c + 1) + "]", "not a finite number");
      }
      last = c;
    }
    if (!Double.isFinite(v[v.length - 1])) {
      throw new DataException(file, line.line(), labelCol, "null or not a finite number");
    }
    return Arrays.copyOfRange(v, 1, v.length);
  }
}
