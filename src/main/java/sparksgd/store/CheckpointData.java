package sparksgd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to resume training exactly. Arrays are not copied (they can be large): the
 * caller must not modify them while a save is running.
 *
 * @param params flat model parameters
 * @param optimizerSlots optimizer state arrays by slot name (e.g. "m", "v"), in a stable order;
 *     names use letters, digits, '_', '-' and '.' (they become file names {@code opt-<name>.npy})
 * @param optimizerStep how many updates the optimizer has applied
 * @param epoch current epoch (0-based)
 * @param stepInEpoch steps already done in {@code epoch}
 * @param globalStep steps done since the start of training; names the checkpoint
 * @param randomStreams positions of named random streams
 * @param configHash hash of the training configuration, for the caller to compare on resume
 * @param stats opaque JSON (the normalization statistics); null is stored as JSON null
 * @param meta free-form string metadata (timestamps, versions)
 */
public record CheckpointData(
    double[] params,
    LinkedHashMap<String, double[]> optimizerSlots,
    long optimizerStep,
    int epoch,
    int stepInEpoch,
    long globalStep,
    Map<String, Long> randomStreams,
    String configHash,
    JsonNode stats,
    Map<String, String> meta) {

  public CheckpointData {
    Objects.requireNonNull(params, "params");
    optimizerSlots = optimizerSlots == null ? new LinkedHashMap<>() : optimizerSlots;
    randomStreams = randomStreams == null ? Map.of() : randomStreams;
    configHash = configHash == null ? "" : configHash;
    stats = stats == null ? NullNode.getInstance() : stats;
    meta = meta == null ? Map.of() : meta;
    if (optimizerStep < 0 || epoch < 0 || stepInEpoch < 0 || globalStep < 0) {
      throw new IllegalArgumentException("negative counter in checkpoint: optimizerStep="
          + optimizerStep + " epoch=" + epoch + " stepInEpoch=" + stepInEpoch
          + " globalStep=" + globalStep);
    }
    for (Map.Entry<String, double[]> e : optimizerSlots.entrySet()) {
      Objects.requireNonNull(e.getValue(), "optimizer slot " + e.getKey());
    }
  }
}
