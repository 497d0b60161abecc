package sparksgd.sweep;

import sparksgd.store.RunFolder;

/**
 * Trains a trial in segments, for the ASHA scheduler: every fold from where it paused up to an epoch,
 * scored there. Paused folds are kept (in memory, and in the trial's folder so an interrupted sweep
 * continues without redoing finished segments).
 */
public interface TrialSegments {
  /**
   * Trains every fold of {@code trial} up to {@code untilEpoch} and scores it there.
   *
   * @throws SweepInterrupted when the sweep was asked to stop (each fold's state is kept where it stopped)
   * @throws RuntimeException any other failure, recorded as the trial's reason
   */
  TrialScore advance(Trial trial, int untilEpoch, RunFolder folder);

  /**
   * The trial will not be trained again in this sweep (finished, stopped or failed): write the histories
   * of folds that paused at a rung ({@code fold-K-history.csv}; until then they live in the fold's state),
   * and let go of its memory.
   */
  void release(Trial trial, RunFolder folder);

  /** Forgets the trial's paused folds, in memory and on disk (a failed trial tried again starts over). */
  void reset(Trial trial, RunFolder folder);
}
