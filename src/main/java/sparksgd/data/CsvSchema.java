package sparksgd.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One file's header mapped onto the job's columns: for every feature (in the job's order) and the
 * label, its position in this file. Columns are matched by name, so files may order them differently.
 * {@code weightIndex} is the sample-weight column's ({@code data.weight}), or -1.
 */
public record CsvSchema(String file, int arity, String[] names, int[] featureIndex, int labelIndex, int weightIndex)
    implements Serializable {

  /** Without a weight column. */
  public CsvSchema(String file, int arity, String[] names, int[] featureIndex, int labelIndex) {
    this(file, arity, names, featureIndex, labelIndex, -1);
  }

  /** Splits and cleans a header line (BOM, CR, quotes, spaces) and rejects duplicate names. */
  public static String[] parseHeader(String file, String line, char delimiter) {
    String text = stripBom(stripCr(line));
    if (text.isBlank()) {
      throw new DataException(file, 1, null, "the header line is empty");
    }
    String[] names = CsvLineParser.split(text, delimiter);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      names[i] = unquote(names[i].trim());
      if (names[i].isEmpty()) {
        throw new DataException(file, 1, "#" + (i + 1), "column " + (i + 1) + " of the header has no name");
      }
      Integer prev = seen.put(names[i], i);
      if (prev != null) {
        throw new DataException(file, 1, names[i],
            "duplicate column name (columns " + (prev + 1) + " and " + (i + 1) + ")");
      }
    }
    return names;
  }

  /** Chooses the feature columns from the first training file's header. */
  public static List<String> chooseFeatures(String file, String[] names, String label, List<String> features,
      List<String> drop) {
    return chooseFeatures(file, names, label, null, features, drop);
  }

  /** As above; the sample-weight column ({@code data.weight}, null for none) is never a feature, like the label. */
  public static List<String> chooseFeatures(String file, String[] names, String label, String weight,
      List<String> features, List<String> drop) {
    List<String> all = List.of(names);
    if (weight != null && !all.contains(weight)) {
      throw new DataException(file, 1, null, "data.weight names '" + CsvLineParser.shorten(weight)
          + "', which is not a column (columns: " + columns(names) + ")");
    }
    if (!all.contains(label)) {
      throw new DataException(file, 1, null, "no label column named '" + CsvLineParser.shorten(label) + "' (columns: " + columns(names) + ")");
    }
    for (String d : drop) {
      if (!all.contains(d)) {
        throw new DataException(file, 1, null, "data.drop names '" + CsvLineParser.shorten(d) + "', which is not a column (columns: " + columns(names) + ")");
      }
    }
    List<String> out = new ArrayList<>();
    if (!features.isEmpty()) {
      for (String f : features) {
        if (f.equals(label)) {
          throw new DataException(file, 1, f, "the label column cannot also be a feature");
        }
        if (f.equals(weight)) {
          throw new DataException(file, 1, f, "the weight column (data.weight) cannot also be a feature");
        }
        out.add(f);
      }
    } else {
      for (String n : names) {
        if (!n.equals(label) && !n.equals(weight) && !drop.contains(n)) {
          out.add(n);
        }
      }
    }
    if (out.isEmpty()) {
      throw new DataException(file, 1, null, "no feature columns left");
    }
    return out;
  }

  /** Maps the job's columns onto one file's header. */
  public static CsvSchema map(String file, String[] names, List<String> features, String label, boolean labelRequired) {
    return map(file, names, features, label, labelRequired, null);
  }

  /** As above, with the sample-weight column {@code weight} (required in every file; null = none). */
  public static CsvSchema map(String file, String[] names, List<String> features, String label, boolean labelRequired,
      String weight) {
    Map<String, Integer> pos = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      pos.put(names[i], i);
    }
    int[] fi = new int[features.size()];
    for (int j = 0; j < fi.length; j++) {
      Integer p = pos.get(features.get(j));
      if (p == null) {
        throw new DataException(file, 1, features.get(j), "missing feature column (columns: " + columns(names) + ")");
      }
      fi[j] = p;
    }
    Integer li = pos.get(label);
    if (li == null && labelRequired) {
      throw new DataException(file, 1, label, "missing label column (columns: " + columns(names) + ")");
    }
    Integer wi = weight == null ? null : pos.get(weight);
    if (weight != null && wi == null) {
      throw new DataException(file, 1, weight, "missing weight column, data.weight (columns: " + columns(names) + ")");
    }
    return new CsvSchema(file, names.length, names, fi, li == null ? -1 : li, wi == null ? -1 : wi);
  }

  /** A header's names for an error line: each shortened, at most 30 of them. */
  static String columns(String[] names) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.length && i < 30; i++) {
      sb.append(i == 0 ? "" : ", ").append(CsvLineParser.shorten(names[i]));
    }
    return names.length > 30 ? sb + ", ... (" + names.length + " columns)" : sb.toString();
  }

  static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  static String unquote(String s) {
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      return s.substring(1, s.length() - 1).trim();
    }
    return s;
  }
}
