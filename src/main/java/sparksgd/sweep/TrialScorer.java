package sparksgd.sweep;

import sparksgd.store.RunFolder;

/** Trains and scores one trial, writing what it learns (histories) into the trial's folder. */
public interface TrialScorer {
  /**
   * @throws SweepInterrupted when the sweep was asked to stop while the trial ran
   * @throws RuntimeException any other failure (divergence, a bad setting), recorded as the trial's reason
   */
  TrialScore score(Trial trial, RunFolder folder);
}
