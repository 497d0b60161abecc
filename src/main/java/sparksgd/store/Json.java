package sparksgd.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The one JSON configuration of the project, and helpers to read and write JSON on any Hadoop path.
 *
 * <ul>
 *   <li>Pretty printed, with a final newline; map entries and JSON-tree object fields are written
 *       sorted by key, so files are stable and diff well. Records and POJOs keep their declared
 *       property order.</li>
 *   <li><b>NaN and infinities are written as the strings {@code "NaN"}, {@code "Infinity"},
 *       {@code "-Infinity"}</b>, so every file is standard JSON that any parser accepts; a diverged
 *       loss must still be recordable. Jackson reads those strings back into {@code double} fields
 *       and {@code JsonNode.asDouble()} parses them too. Reading also accepts the bare
 *       {@code NaN}/{@code Infinity} tokens Python's {@code json.dump} writes.</li>
 *   <li>Unknown properties and trailing garbage are refused when binding to a class: a typo or a
 *       damaged file fails loudly, naming the file.</li>
 * </ul>
 */
public final class Json {
  /** Bound on a file read whole: JSON files here are metadata, never bulk data. */
  public static final long MAX_BYTES = 256L * 1024 * 1024;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  /** The shared mapper; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Pretty JSON text with a final newline. */
  public static String toString(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write JSON for " + value.getClass().getName() + ": "
          + e.getOriginalMessage(), e);
    }
  }

  public static byte[] toBytes(Object value) {
    return toString(value).getBytes(StandardCharsets.UTF_8);
  }

  /** Writes a tree, record, map or POJO atomically ({@link HadoopFiles#writeAtomically}). */
  public static void write(Configuration conf, Path path, Object value) {
    byte[] bytes = toBytes(value);
    HadoopFiles.writeBytesAtomically(conf, path, bytes);
  }

  public static JsonNode readTree(Configuration conf, Path path) {
    Path q = HadoopFiles.qualify(conf, path);
    return parse(HadoopFiles.readAllBytes(conf, q, MAX_BYTES), q.toString());
  }

  public static <T> T read(Configuration conf, Path path, Class<T> type) {
    Path q = HadoopFiles.qualify(conf, path);
    return parse(HadoopFiles.readAllBytes(conf, q, MAX_BYTES), q.toString(), type);
  }

  public static <T> T read(Configuration conf, Path path, TypeReference<T> type) {
    Path q = HadoopFiles.qualify(conf, path);
    byte[] bytes = HadoopFiles.readAllBytes(conf, q, MAX_BYTES);
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw invalid(q.toString(), e);
    }
  }

  /** Parses a JSON document; {@code name} (usually the file) is used in the error message. */
  public static JsonNode parse(byte[] bytes, String name) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new StoreException(name + ": empty file, expected JSON");
      }
      return node;
    } catch (IOException e) {
      throw invalid(name, e);
    }
  }

  public static <T> T parse(byte[] bytes, String name, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw invalid(name, e);
    }
  }

  private static StoreException invalid(String name, IOException e) {
    String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    String where = "";
    if (e instanceof JsonProcessingException j && j.getLocation() != null
        && j.getLocation().getLineNr() > 0) {
      where = " (line " + j.getLocation().getLineNr() + ", column "
          + j.getLocation().getColumnNr() + ")";
    }
    return new StoreException(name + ": invalid JSON" + where + ": " + msg, e);
  }
}
