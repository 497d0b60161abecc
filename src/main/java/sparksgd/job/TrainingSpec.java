package sparksgd.job;

import java.io.Serializable;

/** The {@code training} section. */
public record TrainingSpec(int epochs, int batchSize, long seed, int partitions, String engine,
    java.time.Duration stepTimeout)
    implements Serializable {}
