package sparksgd.job;

import java.io.Serializable;

/** The {@code cv} section: K-fold cross-validation settings. */
public record CvSpec(int folds, boolean shuffle, double smoothing, int skip, int parallelism) implements Serializable {}
