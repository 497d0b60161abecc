package sparksgd.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import sparksgd.data.CategoricalEncoder;
import sparksgd.store.HadoopFiles;
import sparksgd.store.StoreException;

/** {@code vocabulary.json} in a run folder (beside {@code stats.json}) and in a model folder. */
public final class CategoricalFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long MAX_BYTES = 64L << 20;

  private CategoricalFiles() {}

  public static byte[] bytes(CategoricalEncoder e) {
    try {
      return (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(e.toJson()) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException x) {
      throw new IllegalStateException(x);
    }
  }

  /** The encoding saved at {@code file}, or null when there is no such file (a model without categorical columns). */
  public static CategoricalEncoder read(Configuration conf, Path file) {
    if (!HadoopFiles.exists(conf, file)) {
      return null;
    }
    try {
      return CategoricalEncoder.fromJson(MAPPER.readTree(HadoopFiles.readAllBytes(conf, file, MAX_BYTES)));
    } catch (IOException | IllegalArgumentException e) {
      throw new StoreException(file + ": " + e.getMessage());
    }
  }
}
