package sparksgd.data;

/** How the loader caches the rows it read. */
public enum CachedRows {
  /** Normalized with the training rows' statistics, at the job's precision: what a training run reads. */
  NORMALIZED,
  /**
   * As read (statistics still computed): cross-validation and sweeps normalize each fold with its own
   * training part's statistics, and a warm start may normalize with its starting model's.
   */
  RAW
}
