package sparksgd.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Feature names in a wide model's files: names that follow a numbered pattern (LibSVM's {@code f1..fD}, a
 * vector column's {@code features[1]..}, hashed slots' {@code hash[0]..}) are written as that pattern,
 * {@code {"prefix": "f", "first": 1, "suffix": "", "count": D}}, never one by one; any other list as a
 * JSON array.
 */
public final class FeatureNames {
  private FeatureNames() {}

  /** The pattern object when every name is {@code prefix + (first + j) + suffix}, else the names as an array. */
  public static JsonNode toJson(List<String> names) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode pattern = pattern(names);
    if (pattern != null) {
      return pattern;
    }
    ArrayNode a = f.arrayNode(names.size());
    names.forEach(a::add);
    return a;
  }

  private static ObjectNode pattern(List<String> names) {
    if (names.isEmpty()) {
      return null;
    }
    String first = names.get(0);
    int end = first.length();
    while (end > 0 && !Character.isDigit(first.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && Character.isDigit(first.charAt(start - 1))) {
      start--;
    }
    if (start == end || end - start > 9 || (end - start > 1 && first.charAt(start) == '0')) {
      return null;
    }
    String prefix = first.substring(0, start);
    String suffix = first.substring(end);
    int from = Integer.parseInt(first.substring(start, end));
    if (from > 1) {
      return null;
    }
    for (int j = 0; j < names.size(); j++) {
      String n = names.get(j);
      String digits = Integer.toString(from + j);
      if (n.length() != prefix.length() + digits.length() + suffix.length() || !n.startsWith(prefix)
          || !n.endsWith(suffix) || !n.regionMatches(prefix.length(), digits, 0, digits.length())) {
        return null;
      }
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("prefix", prefix);
    o.put("first", from);
    o.put("suffix", suffix);
    o.put("count", names.size());
    return o;
  }

  /**
   * Reads {@link #toJson}'s form; {@code expected} is the number of features the file declares elsewhere.
   * A bad form is an {@link IllegalArgumentException} saying what is wrong.
   */
  public static List<String> fromJson(JsonNode node, int expected) {
    if (node != null && node.isArray()) {
      List<String> names = new ArrayList<>(node.size());
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          throw new IllegalArgumentException("feature names: " + n + " is not a name");
        }
        names.add(n.asText());
      }
      if (names.size() != expected) {
        throw new IllegalArgumentException("feature names: " + names.size() + " listed, " + expected + " expected");
      }
      return List.copyOf(names);
    }
    if (node == null || !node.isObject() || !node.path("prefix").isTextual() || !node.path("suffix").isTextual()
        || !node.path("first").canConvertToInt() || !node.path("count").canConvertToInt()) {
      throw new IllegalArgumentException("feature names: expected a list or {prefix, first, suffix, count}");
    }
    int first = node.get("first").asInt();
    int count = node.get("count").asInt();
    if (first < 0 || first > 1 || count != expected) {
      throw new IllegalArgumentException("feature names: pattern of " + count + " names from " + first + ", "
          + expected + " features expected");
    }
    String prefix = node.get("prefix").asText();
    String suffix = node.get("suffix").asText();
    List<String> names = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      names.add(prefix + (first + j) + suffix);
    }
    return names;
  }
}
