package sparksgd.job;

import java.io.Serializable;

/** The {@code checkpoint} section; {@code dir} null means {@code <out>/checkpoints}. */
public record CheckpointSpec(String dir, int everyEpochs, int keepLast) implements Serializable {}
