package sparksgd.job;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A whole job, typed and validated. {@code resolvedHocon} is the complete config (defaults included)
 * that produced it, written to the run folder as {@code job.conf} and hashed for provenance.
 */
public record JobSpec(DataSpec data, ModelSpec model, OptimizerSpec optimizer, TrainingSpec training,
    SparkSpec spark, CvSpec cv, CheckpointSpec checkpoint,
    String name,
    String resolvedHocon) implements Serializable {

  public String configHash() {
    return sha256(resolvedHocon);
  }

  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
