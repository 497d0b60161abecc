package sparksgd.train;

/** Called on the driver after every epoch (progress lines, checkpoints, early stopping). */
public interface EpochListener {
  /** Return false to stop training after this epoch. */
  boolean afterEpoch(EpochRecord record, TrainerState state);
}
